package io.modelmesh.dataplane.reliability;

import io.modelmesh.dataplane.cache.CacheEvents;
import io.modelmesh.dataplane.cache.CacheKey;
import io.modelmesh.dataplane.cache.MemoryCache;
import io.modelmesh.engine.BatchResult;

/**
 * The last answer this node computed for each input of the versions whose fallback is {@code cached}, kept in memory
 * (least recently used out first, bounded by an estimate of the bytes held) for as long as room allows — unlike the
 * prediction cache, an old answer is exactly what a degraded reply wants. Keys are the prediction cache's (model,
 * version and the exact input values), so a fallback never answers for another version or input.
 */
public final class LastAnswers implements AutoCloseable {
    /** Default bound of the answers kept. */
    public static final long DEFAULT_MAX_BYTES = 16L << 20;
    /** Kept until evicted for room. */
    private static final int FOREVER_SECONDS = Integer.MAX_VALUE;

    private final MemoryCache answers;

    public LastAnswers(long maxBytes) {
        this.answers = new MemoryCache(maxBytes, CacheEvents.NONE);
    }

    public void remember(CacheKey key, BatchResult result) {
        answers.put(key, result, FOREVER_SECONDS);
    }

    /** The last answer for the key, or null. */
    public BatchResult recall(CacheKey key) {
        return answers.get(key);
    }

    @Override
    public void close() {
        answers.close();
    }
}
