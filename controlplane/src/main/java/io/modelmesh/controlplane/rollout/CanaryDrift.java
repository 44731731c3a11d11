package io.modelmesh.controlplane.rollout;

import java.time.Instant;

/**
 * The canary version's latest drift evaluation: the feature with the highest PSI, over a full window.
 *
 * @param feature     the feature with the highest PSI
 * @param psi         its PSI, current window against the canary version's reference
 * @param rows        rows in the window that evaluation compared (a full window)
 * @param evaluatedAt when it was computed
 */
public record CanaryDrift(String feature, double psi, int rows, Instant evaluatedAt) {

    /** Where the controller finds a canary's drift (the drift service; tests pass fakes). */
    @FunctionalInterface
    public interface Source {
        /**
         * The version's latest evaluation made at or after {@code since} (the rollout's start), or null when there is
         * none yet (no reference, or the window not full since then).
         */
        CanaryDrift latest(String model, String version, Instant since);

        static Source none() {
            return (model, version, since) -> null;
        }
    }
}
