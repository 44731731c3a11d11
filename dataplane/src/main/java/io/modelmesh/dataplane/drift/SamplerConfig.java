package io.modelmesh.dataplane.drift;

import java.util.Map;

/**
 * How the node samples feature rows for drift detection, parsed once at start.
 *
 * @param rowsPerReport rows per version in one outcome report ({@code MM_DRIFT_ROWS}, default 200, at most 1000;
 *                      0 turns sampling off): a uniform sample of the rows the version served in the window
 * @param queueValues   feature values waiting for the sampling worker ({@code MM_DRIFT_QUEUE}, default 65536);
 *                      beyond it rows are dropped and counted, never waited for
 */
public record SamplerConfig(int rowsPerReport, int queueValues) {
    public static final int DEFAULT_ROWS = 200;
    /** The control plane refuses more rows per version and report. */
    public static final int MAX_ROWS = 1000;
    public static final int DEFAULT_QUEUE = 65_536;

    public SamplerConfig {
        if (rowsPerReport < 0 || rowsPerReport > MAX_ROWS) {
            throw new IllegalArgumentException("MM_DRIFT_ROWS must be 0.." + MAX_ROWS + " (0 = no drift sampling), got "
                    + rowsPerReport);
        }
        if (queueValues < FeatureSampler.MAX_VALUES_PER_ROW) {
            throw new IllegalArgumentException("MM_DRIFT_QUEUE must be at least " + FeatureSampler.MAX_VALUES_PER_ROW
                    + " values, got " + queueValues);
        }
    }

    public static SamplerConfig defaults() {
        return new SamplerConfig(DEFAULT_ROWS, DEFAULT_QUEUE);
    }

    /** From {@code MM_DRIFT_ROWS} and {@code MM_DRIFT_QUEUE}. @throws IllegalArgumentException naming the variable */
    public static SamplerConfig fromEnv(Map<String, String> env) {
        return new SamplerConfig(number(env, "MM_DRIFT_ROWS", DEFAULT_ROWS), number(env, "MM_DRIFT_QUEUE",
                DEFAULT_QUEUE));
    }

    private static int number(Map<String, String> env, String name, int defaultValue) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }
}
