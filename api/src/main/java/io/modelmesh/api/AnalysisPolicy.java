package io.modelmesh.api;

/**
 * When a canary is judged unhealthy. The control plane compares the canary's outcomes over the last {@code window}
 * seconds, reported by every node, with these limits; a breach with at least {@code minRequests} requests rolls the
 * canary back to 0 % on every node. Null fields take the defaults ({@link #withDefaults()}).
 *
 * @param maxErrorRate  highest tolerated share of failed (5xx) canary requests, 0..1 (default 0.05)
 * @param maxP99Ms      highest tolerated 99th-percentile latency (ms), or null for no latency limit
 * @param minRequests   fewest canary requests in the window before a verdict is given (default 20)
 * @param windowSeconds how far back the analysis looks (default 10 s)
 * @param maxPsi        highest tolerated population stability index of the canary's inputs on any feature, current
 *                      drift window against its reference (see {@link DriftPolicy}), or null for no drift gate; judged
 *                      only once the canary's window is full
 */
public record AnalysisPolicy(Double maxErrorRate, Double maxP99Ms, Integer minRequests, Integer windowSeconds,
                             Double maxPsi) {
    public static final double DEFAULT_MAX_ERROR_RATE = 0.05;
    public static final int DEFAULT_MIN_REQUESTS = 20;
    public static final int DEFAULT_WINDOW_SECONDS = 10;

    public AnalysisPolicy {
        if (maxErrorRate != null && !(maxErrorRate >= 0 && maxErrorRate <= 1)) {
            throw new IllegalArgumentException("max_error_rate must be between 0 and 1, got " + maxErrorRate);
        }
        if (maxP99Ms != null && !(maxP99Ms > 0)) {
            throw new IllegalArgumentException("max_p99_ms must be above 0, got " + maxP99Ms);
        }
        if (minRequests != null && minRequests < 1) {
            throw new IllegalArgumentException("min_requests must be at least 1, got " + minRequests);
        }
        if (windowSeconds != null && (windowSeconds < 1 || windowSeconds > 3600)) {
            throw new IllegalArgumentException("window_seconds must be 1..3600, got " + windowSeconds);
        }
        if (maxPsi != null && !(maxPsi > 0 && maxPsi <= MAX_PSI_LIMIT)) {
            throw new IllegalArgumentException("max_psi must be above 0 and at most " + (int) MAX_PSI_LIMIT
                    + " (0.2 is a significant shift), got " + maxPsi);
        }
    }

    /** Largest {@code max_psi} accepted: PSI over 10 bins with empty bins floored at 1e-4 stays below about 10. */
    public static final double MAX_PSI_LIMIT = 10;

    /** A policy without a drift gate. */
    public AnalysisPolicy(Double maxErrorRate, Double maxP99Ms, Integer minRequests, Integer windowSeconds) {
        this(maxErrorRate, maxP99Ms, minRequests, windowSeconds, null);
    }

    public static AnalysisPolicy defaults() {
        return new AnalysisPolicy(DEFAULT_MAX_ERROR_RATE, null, DEFAULT_MIN_REQUESTS, DEFAULT_WINDOW_SECONDS);
    }

    /** This policy with its unset fields (except the optional latency and drift limits) taken from the defaults. */
    public AnalysisPolicy withDefaults() {
        return new AnalysisPolicy(maxErrorRate != null ? maxErrorRate : DEFAULT_MAX_ERROR_RATE, maxP99Ms,
                minRequests != null ? minRequests : DEFAULT_MIN_REQUESTS,
                windowSeconds != null ? windowSeconds : DEFAULT_WINDOW_SECONDS, maxPsi);
    }
}
