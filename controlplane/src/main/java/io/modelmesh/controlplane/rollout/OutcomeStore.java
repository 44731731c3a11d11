package io.modelmesh.controlplane.rollout;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.controlplane.nodes.OutcomeSink;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The nodes' outcome reports, per model and version: per-second history (for canary analysis) and totals since the
 * model's current strategy started (for traffic statistics). Every control plane of a cluster shares it (PostgreSQL,
 * {@link SharedOutcomes}): nodes report to whichever control plane they reach, and the one running the rollout
 * controller reads what all of them received, so a new leader goes on with the same history.
 */
public interface OutcomeStore extends OutcomeSink {
    /**
     * Starts the model's outcomes again: its strategy changed at {@code revision}, so what was counted before belongs
     * to another experiment, and reports from nodes still serving an older revision are left out from now on. Runs in
     * the transaction that writes the revision.
     */
    void reset(DbExecute tx, String model, Instant since, long revision);

    /**
     * The version's outcomes over {@code count} consecutive windows of {@code seconds}, newest first: window {@code i}
     * covers the seconds {@code (now - (i+1) x seconds, now - i x seconds]}.
     */
    List<CanaryWindow> windows(String model, String version, int seconds, int count, Instant now);

    /** The version's outcomes in the seconds {@code (now - seconds, now]}. */
    default CanaryWindow window(String model, String version, int seconds, Instant now) {
        return windows(model, version, seconds, 1, now).getFirst();
    }

    /** Per version: totals since {@link #since}, in the order versions first reported. */
    Map<String, CanaryWindow> totals(String model);

    /**
     * For metrics: per model with a canary on {@code table}, each of its versions' server-error share since its
     * strategy started ({@code [model, version]} to a rate; versions without requests are left out).
     */
    default Map<List<String>, Double> canaryErrorRates(io.modelmesh.api.RoutingTable table) {
        Map<List<String>, Double> out = new java.util.HashMap<>();
        table.models().forEach((model, route) -> {
            if (route.targets().stream().noneMatch(t -> t.role() == io.modelmesh.api.RouteTarget.Role.CANARY)) {
                return;
            }
            totals(model).forEach((version, w) -> {
                if (w.requests() > 0) {
                    out.put(List.of(model, version), (double) w.errors() / w.requests());
                }
            });
        });
        return out;
    }

    /** When the model's totals started (its strategy's start), or null before any. */
    Instant since(String model);

    /** Forgets per-second history that ended before {@code before}, and totals of strategies that were replaced. */
    void prune(DbExecute tx, Instant before);
}
