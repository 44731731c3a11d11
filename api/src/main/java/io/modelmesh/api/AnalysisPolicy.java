package io.modelmesh.api;

/**
 * When a canary is judged unhealthy, and how long its analysis may stay undecided. The control plane compares the
 * canary's outcomes, reported by every node, over consecutive windows of {@code window} seconds with these limits. Null
 * fields take the defaults ({@link #withDefaults()}).
 *
 * @param maxErrorRate      highest tolerated share of failed (5xx) canary requests, 0..1 (default 0.05)
 * @param maxP99Ms          highest tolerated 99th-percentile latency (ms), or null for no latency limit
 * @param minRequests       fewest canary requests in a window before it is judged (default 20); a window with fewer
 *                          is inconclusive
 * @param windowSeconds     length of one analysis window (default 10 s)
 * @param maxPsi            highest tolerated population stability index of the canary's inputs on any feature, current
 *                          drift window against its reference (see {@link DriftPolicy}), or null for no drift gate;
 *                          judged only once the canary's window is full
 * @param failureLimit      consecutive failing windows (a threshold breached with the minimum sample, or a node that
 *                          serves the canary and stopped reporting) before the canary is rolled back (default 1: the
 *                          first failing window rolls it back)
 * @param inconclusiveLimit consecutive inconclusive windows of one step after which a stepped canary is stopped and
 *                          rolled back, with the reason; 0 = no limit. Unset: {@value #DEFAULT_INCONCLUSIVE_LIMIT}
 *                          windows (or as many as fit in {@value #MAX_HISTORY_SECONDS} s) for a stepped canary, no
 *                          limit for one promoted by hand
 */
public record AnalysisPolicy(Double maxErrorRate, Double maxP99Ms, Integer minRequests, Integer windowSeconds,
                             Double maxPsi, Integer failureLimit, Integer inconclusiveLimit) {
    public static final double DEFAULT_MAX_ERROR_RATE = 0.05;
    public static final int DEFAULT_MIN_REQUESTS = 20;
    public static final int DEFAULT_WINDOW_SECONDS = 10;
    public static final int DEFAULT_FAILURE_LIMIT = 1;
    public static final int DEFAULT_INCONCLUSIVE_LIMIT = 30;
    /** How far back consecutive windows may reach (the outcome history the control plane keeps). */
    public static final int MAX_HISTORY_SECONDS = 3600;

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
        if (windowSeconds != null && (windowSeconds < 1 || windowSeconds > MAX_HISTORY_SECONDS)) {
            throw new IllegalArgumentException("window_seconds must be 1.." + MAX_HISTORY_SECONDS + ", got "
                    + windowSeconds);
        }
        int window = windowSeconds == null ? DEFAULT_WINDOW_SECONDS : windowSeconds;
        if (failureLimit != null && (failureLimit < 1 || (long) failureLimit * window > MAX_HISTORY_SECONDS)) {
            throw new IllegalArgumentException("failure_limit must be at least 1 and failure_limit x window_seconds "
                    + "at most " + MAX_HISTORY_SECONDS + " s (the outcome history kept), got " + failureLimit
                    + " windows of " + window + " s");
        }
        if (inconclusiveLimit != null && (inconclusiveLimit < 0
                || (long) inconclusiveLimit * window > MAX_HISTORY_SECONDS)) {
            throw new IllegalArgumentException("inconclusive_limit must be 0 (no limit) or more, and "
                    + "inconclusive_limit x window_seconds at most " + MAX_HISTORY_SECONDS + " s (the outcome history "
                    + "kept), got " + inconclusiveLimit + " windows of " + window + " s");
        }
        if (maxPsi != null && !(maxPsi > 0 && maxPsi <= MAX_PSI_LIMIT)) {
            throw new IllegalArgumentException("max_psi must be above 0 and at most " + (int) MAX_PSI_LIMIT
                    + " (0.2 is a significant shift), got " + maxPsi);
        }
    }

    /** Largest {@code max_psi} accepted: PSI over 10 bins with empty bins floored at 1e-4 stays below about 10. */
    public static final double MAX_PSI_LIMIT = 10;

    /** A policy without a drift gate, with the default limits on consecutive windows. */
    public AnalysisPolicy(Double maxErrorRate, Double maxP99Ms, Integer minRequests, Integer windowSeconds) {
        this(maxErrorRate, maxP99Ms, minRequests, windowSeconds, null);
    }

    /** A policy with the default limits on consecutive windows. */
    public AnalysisPolicy(Double maxErrorRate, Double maxP99Ms, Integer minRequests, Integer windowSeconds,
                          Double maxPsi) {
        this(maxErrorRate, maxP99Ms, minRequests, windowSeconds, maxPsi, null, null);
    }

    public static AnalysisPolicy defaults() {
        return new AnalysisPolicy(DEFAULT_MAX_ERROR_RATE, null, DEFAULT_MIN_REQUESTS, DEFAULT_WINDOW_SECONDS, null,
                DEFAULT_FAILURE_LIMIT, null);
    }

    /**
     * This policy with its unset fields taken from the defaults, except the optional latency and drift limits and the
     * inconclusive limit, whose default depends on whether the canary has steps ({@link #inconclusiveWindows}).
     */
    public AnalysisPolicy withDefaults() {
        return new AnalysisPolicy(maxErrorRate != null ? maxErrorRate : DEFAULT_MAX_ERROR_RATE, maxP99Ms,
                minRequests != null ? minRequests : DEFAULT_MIN_REQUESTS,
                windowSeconds != null ? windowSeconds : DEFAULT_WINDOW_SECONDS, maxPsi,
                failureLimit != null ? failureLimit : DEFAULT_FAILURE_LIMIT, inconclusiveLimit);
    }

    /**
     * The consecutive inconclusive windows after which the canary stops, 0 for never: the limit set, else
     * {@value #DEFAULT_INCONCLUSIVE_LIMIT} (capped to the history kept) for a stepped canary and none for one promoted
     * by hand.
     */
    public int inconclusiveWindows(boolean stepped) {
        if (inconclusiveLimit != null) {
            return inconclusiveLimit;
        }
        int window = windowSeconds == null ? DEFAULT_WINDOW_SECONDS : windowSeconds;
        return stepped ? Math.max(1, Math.min(DEFAULT_INCONCLUSIVE_LIMIT, MAX_HISTORY_SECONDS / window)) : 0;
    }
}
