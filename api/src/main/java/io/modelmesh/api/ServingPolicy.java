package io.modelmesh.api;

/**
 * How nodes serve a model: dynamic batching and the prediction cache. Part of the model's route, so every node applies
 * the same policy from the same routing revision.
 *
 * @param maxBatchSize    most rows one engine call may take when batching concurrent requests; 1 turns batching off
 * @param maxLatencyMs    longest a request waits for others to join its batch (ms); 0 runs whatever is queued at once
 * @param cacheTtlSeconds how long a prediction is served from the cache; 0 turns the cache off
 */
public record ServingPolicy(int maxBatchSize, int maxLatencyMs, int cacheTtlSeconds) {
    /** Largest batch a policy may ask for. */
    public static final int MAX_BATCH_SIZE = 1024;
    /** Longest batching delay a policy may ask for (ms). */
    public static final int MAX_LATENCY_MS = 1000;

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
    }

    /** No batching, no cache: every request runs the engine on its own rows. */
    public static ServingPolicy defaults() {
        return new ServingPolicy(1, 0, 0);
    }

    public boolean batching() {
        return maxBatchSize > 1;
    }

    public boolean caching() {
        return cacheTtlSeconds > 0;
    }
}
