package io.modelmesh.api;

import java.util.Map;

/**
 * How nodes serve a model: dynamic batching, the prediction cache, admission control and degradation. Part of the
 * model's route, so every node applies the same policy from the same routing revision.
 *
 * <p>Admission: each served version runs at most {@code maxConcurrency} requests at once and lets at most
 * {@code maxQueue} more wait for a turn; a request beyond that is refused at once (429), one whose deadline passes
 * while it waits is refused then (503). 0 in any of the three admission settings means "the node's default", which
 * each node derives from its cores and engine threads (docs/performance.md).
 *
 * @param maxBatchSize    most rows one engine call may take when batching concurrent requests; 1 turns batching off
 * @param maxLatencyMs    longest a request waits for others to join its batch (ms); 0 runs whatever is queued at once
 * @param cacheTtlSeconds how long a prediction is served from the cache; 0 turns the cache off
 * @param maxConcurrency  requests of one version served at once on a node (0: the node's default)
 * @param maxQueue        requests of one version waiting for a turn on a node (0: the node's default)
 * @param timeoutMs       each request's deadline in ms from its arrival (0: the node's default); a request's
 *                        {@code X-Request-Timeout} header may shorten it, never lengthen it
 * @param fallback        what a node answers when the version fails or sheds the request (null: {@link Fallback#NONE})
 * @param defaultOutput   the answer of {@link Fallback#DEFAULT}: output name to one row's value (null otherwise)
 */
public record ServingPolicy(int maxBatchSize, int maxLatencyMs, int cacheTtlSeconds, int maxConcurrency,
                            int maxQueue, int timeoutMs, Fallback fallback, Map<String, Object> defaultOutput) {
    /** Largest batch a policy may ask for. */
    public static final int MAX_BATCH_SIZE = 1024;
    /** Longest batching delay a policy may ask for (ms). */
    public static final int MAX_LATENCY_MS = 1000;
    /** Most requests of one version a policy may let run at once on a node. */
    public static final int MAX_CONCURRENCY = 4096;
    /** Most requests of one version a policy may let wait on a node. */
    public static final int MAX_QUEUE = 65_536;
    /** Longest deadline a policy may give a request (ms): 10 minutes. */
    public static final int MAX_TIMEOUT_MS = 600_000;

    /** What a node answers instead of an error when a version fails or sheds a request; the answer says degraded. */
    public enum Fallback {
        /** Answer the error (429, 500, 503). */
        NONE,
        /** The last prediction this node made (or cached) for the same input and version, if it has one. */
        CACHED,
        /** The policy's {@code defaultOutput}. */
        DEFAULT;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Fallback parse(String s) {
            for (Fallback f : values()) {
                if (f.wireName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("fallback must be one of none, cached, default; got '" + s + "'");
        }
    }

    public ServingPolicy {
        if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("max_batch_size must be 1.." + MAX_BATCH_SIZE + " (1 = no batching), got "
                    + maxBatchSize);
        }
        if (maxLatencyMs < 0 || maxLatencyMs > MAX_LATENCY_MS) {
            throw new IllegalArgumentException("max_latency_ms must be 0.." + MAX_LATENCY_MS + ", got " + maxLatencyMs);
        }
        if (cacheTtlSeconds < 0) {
            throw new IllegalArgumentException("cache_ttl_seconds must be >= 0 (0 = no cache), got " + cacheTtlSeconds);
        }
        if (maxConcurrency < 0 || maxConcurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("max_concurrency must be 0.." + MAX_CONCURRENCY
                    + " (0 = the node's default), got " + maxConcurrency);
        }
        if (maxQueue < 0 || maxQueue > MAX_QUEUE) {
            throw new IllegalArgumentException("max_queue must be 0.." + MAX_QUEUE + " (0 = the node's default), got "
                    + maxQueue);
        }
        if (timeoutMs < 0 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("timeout_ms must be 0.." + MAX_TIMEOUT_MS
                    + " (10 minutes; 0 = the node's default), got " + timeoutMs);
        }
        fallback = fallback == null ? Fallback.NONE : fallback;
        if (fallback == Fallback.DEFAULT) {
            if (defaultOutput == null || defaultOutput.isEmpty()) {
                throw new IllegalArgumentException("fallback default needs default_output: the answer to give, e.g. "
                        + "{\"label\": \"unknown\"}");
            }
            DefaultOutputs.check(defaultOutput);
            defaultOutput = DefaultOutputs.copy(defaultOutput);
        } else if (defaultOutput != null && !defaultOutput.isEmpty()) {
            throw new IllegalArgumentException("default_output is only used by fallback default (fallback is "
                    + fallback.wireName() + "); remove it or set fallback to default");
        } else {
            defaultOutput = null;
        }
    }

    /** Batching and cache settings, with every admission setting at the node's default and no fallback. */
    public ServingPolicy(int maxBatchSize, int maxLatencyMs, int cacheTtlSeconds) {
        this(maxBatchSize, maxLatencyMs, cacheTtlSeconds, 0, 0, 0, Fallback.NONE, null);
    }

    /** No batching, no cache, the node's admission defaults, no fallback. */
    public static ServingPolicy defaults() {
        return new ServingPolicy(1, 0, 0);
    }

    public boolean batching() {
        return maxBatchSize > 1;
    }

    public boolean caching() {
        return cacheTtlSeconds > 0;
    }

    /**
     * One line for history and diffs: {@code batch 64 rows / 2 ms, cache 60 s}, followed by the admission and fallback
     * settings that are not the node's defaults ({@code , concurrency 8, queue 64, timeout 2s, fallback cached}).
     */
    public String summary() {
        StringBuilder b = new StringBuilder(batching() ? "batch " + maxBatchSize + " rows / " + maxLatencyMs + " ms"
                : "no batching").append(", ").append(caching() ? "cache " + cacheTtlSeconds + " s" : "no cache");
        if (maxConcurrency > 0) {
            b.append(", concurrency ").append(maxConcurrency);
        }
        if (maxQueue > 0) {
            b.append(", queue ").append(maxQueue);
        }
        if (timeoutMs > 0) {
            b.append(", timeout ").append(Durations.formatMillis(timeoutMs));
        }
        if (fallback != Fallback.NONE) {
            b.append(", fallback ").append(fallback.wireName());
        }
        return b.toString();
    }

    /** The same batching and cache settings with these admission settings (0: the node's default). */
    public ServingPolicy withAdmission(int concurrency, int queue, int timeout) {
        return new ServingPolicy(maxBatchSize, maxLatencyMs, cacheTtlSeconds, concurrency, queue, timeout, fallback,
                defaultOutput);
    }

    /** The same settings with another fallback ({@code output} only for {@link Fallback#DEFAULT}). */
    public ServingPolicy withFallback(Fallback f, Map<String, Object> output) {
        return new ServingPolicy(maxBatchSize, maxLatencyMs, cacheTtlSeconds, maxConcurrency, maxQueue, timeoutMs, f,
                output);
    }
}
