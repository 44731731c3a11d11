package io.modelmesh.api;

/**
 * How drift is watched for a model's versions ({@code spec.drift} in manifests, {@code mmctl deploy --drift-window}).
 * Each version's current window — the last {@code window} feature rows nodes sampled from it — is compared with its
 * reference: the rows given at registration, or else the first {@code window} rows it served.
 *
 * @param window rows in a window ({@value #MIN_WINDOW}..{@value #MAX_WINDOW}, default {@value #DEFAULT_WINDOW})
 */
public record DriftPolicy(int window) {
    public static final int DEFAULT_WINDOW = 1000;
    /**
     * Fewer rows make PSI unreliable: for two samples of {@code n} rows from one distribution, PSI over 10 bins is
     * about {@code 2/n} times a chi-square with 9 degrees of freedom (mean {@code 18/n}), so at 100 rows it passes the
     * 0.2 threshold by chance about a third of the time; at 500 rows about once in ten million evaluations.
     */
    public static final int MIN_WINDOW = 500;
    /** Bounds the rows the control plane keeps per version (at most 256 values each). */
    public static final int MAX_WINDOW = 10_000;

    public DriftPolicy {
        if (window < MIN_WINDOW || window > MAX_WINDOW) {
            throw new IllegalArgumentException("drift window must be " + MIN_WINDOW + ".." + MAX_WINDOW + " rows, got "
                    + window);
        }
    }

    public static DriftPolicy defaults() {
        return new DriftPolicy(DEFAULT_WINDOW);
    }
}
