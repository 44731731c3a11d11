package io.modelmesh.dataplane.cache;

import io.modelmesh.engine.BatchResult;

/**
 * Results of earlier predictions, by {@link CacheKey} (model, version and the exact input values), each kept for the
 * TTL of its model's serving policy.
 *
 * <p>A cache is an optimisation, never a dependency: {@link #get} and {@link #put} do not throw for backend trouble
 * (a dead or slow Redis is a miss, and the caller computes the result as if there were no cache), and they report
 * every outcome to {@link CacheEvents}. Implementations are thread-safe.
 *
 * <p>A node uses one cache, either in memory or in Redis ({@link Caches}), not a memory layer in front of Redis. Redis
 * is there so that nodes share results (a result computed on one node answers the same input on another, which P2C
 * routing otherwise spreads thin); a private layer in front of it would add per-node memory, a second TTL to reason
 * about and a second set of numbers, for a hit rate that is roughly 1/N of the shared one. Keys are content hashes of
 * immutable versions, so a layer would be safe; it can be added later as a decorator over this interface if Redis
 * round trips turn out to matter.
 *
 * <p>Values are shared, not copied: callers must treat a {@link BatchResult} from {@link #get} (and one handed to
 * {@link #put}) as immutable, and never write into its tensors' arrays.
 */
public interface PredictionCache extends AutoCloseable {

    /** The cached result, or null on a miss (including any backend failure). */
    BatchResult get(CacheKey key);

    /**
     * Stores {@code value} for {@code ttlSeconds}; a TTL of 0 or less stores nothing. Fire-and-forget from the caller's
     * point of view: failures are reported as events, not thrown.
     */
    void put(CacheKey key, BatchResult value, int ttlSeconds);

    /** "memory" or "redis": the {@code backend} label of this cache's events. */
    String kind();

    /** Releases connections or memory; calls afterwards are misses. */
    @Override
    void close();
}
