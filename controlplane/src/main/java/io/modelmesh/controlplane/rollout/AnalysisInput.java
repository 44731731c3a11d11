package io.modelmesh.controlplane.rollout;

import java.time.Instant;
import java.util.List;

/**
 * What the canary analysis judges, gathered by the controller.
 *
 * @param windows       the canary's outcomes over consecutive windows of the policy's length, newest first: window
 *                      {@code i} covers {@code (now - (i+1) x window, now - i x window]}; at least one
 * @param silent        live nodes that serve the canary's revision, with how long ago each last had all its outcome
 *                      reports delivered (only nodes that said)
 * @param watchingSince since when this control plane has been running the analysis (it leads since then): windows
 *                      before it are not counted as inconclusive or silent, since nobody was there to receive reports
 * @param drift         the canary's latest drift evaluation since the rollout started, or null when there is none (or
 *                      the rollout has no drift gate)
 */
public record AnalysisInput(List<CanaryWindow> windows, List<NodeLag> silent, Instant watchingSince,
                            CanaryDrift drift) {
    public AnalysisInput {
        if (windows == null || windows.isEmpty()) {
            throw new IllegalArgumentException("the analysis needs at least the current window");
        }
        windows = List.copyOf(windows);
        silent = silent == null ? List.of() : List.copyOf(silent);
    }

    /** Windows and node lags without a drift evaluation. */
    public AnalysisInput(List<CanaryWindow> windows, List<NodeLag> silent, Instant watchingSince) {
        this(windows, silent, watchingSince, null);
    }

    /** The current window only, no node lags, watched from the beginning of time (tests and simple cases). */
    public static AnalysisInput of(CanaryWindow current) {
        return of(current, null);
    }

    /** The current window and a drift evaluation (or null), no node lags, watched from the beginning of time. */
    public static AnalysisInput of(CanaryWindow current, CanaryDrift drift) {
        return new AnalysisInput(List.of(current), List.of(), Instant.EPOCH, drift);
    }

    /**
     * A node serving the canary and how long its outcome reports have not been delivered.
     *
     * @param lagSeconds seconds since the node last had every closed outcome window delivered
     */
    public record NodeLag(String nodeId, long lagSeconds) {
    }
}
