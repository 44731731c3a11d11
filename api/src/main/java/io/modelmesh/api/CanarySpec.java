package io.modelmesh.api;

import java.util.List;

/**
 * A canary: {@code version} takes a share of traffic next to the stable version, under automatic analysis.
 *
 * @param version             the candidate
 * @param percent             its share when there are no steps (1..99); with steps, null or the first step
 * @param steps               shares to move through, strictly increasing, 1..100 (e.g. 5, 25, 50, 100); reaching
 *                            100 promotes the canary. Null or empty: stay at {@code percent} until promoted by hand
 * @param stepIntervalSeconds how long each step must stay healthy (with the minimum sample) before the next (default 60)
 * @param analysis            rollback thresholds (null: defaults)
 */
public record CanarySpec(String version, Integer percent, List<Integer> steps, Integer stepIntervalSeconds,
                         AnalysisPolicy analysis) {
    public static final int DEFAULT_STEP_INTERVAL_SECONDS = 60;

    public CanarySpec {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** The share the canary starts at. */
    public int initialPercent() {
        return steps.isEmpty() ? (percent == null ? 0 : percent) : steps.getFirst();
    }
}
