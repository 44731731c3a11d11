package io.modelmesh.dataplane.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;

import java.util.concurrent.TimeUnit;

/**
 * This node's own cache: Caffeine, bounded by an estimate of the bytes the results hold (not by a count, since one
 * result may be a single float and another a 1,000-row batch), each entry expiring after its own TTL.
 *
 * <p>Stores the {@link BatchResult} objects themselves, so a hit costs a hash lookup and no copy. The price is the
 * contract in {@link PredictionCache}: nobody may write into a cached result's arrays.
 *
 * <p>Caffeine's upkeep (eviction, expiry) runs on the calling thread, amortised over calls, rather than on the common
 * fork-join pool: no background work to compete with inference, and the bound holds as soon as a put returns.
 */
public final class MemoryCache implements PredictionCache {
    /** Default bound: 64 MiB of results. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    static final String KIND = "memory";

    private final Cache<CacheKey, Entry> cache;
    private final CacheEvents events;
    private final long maxBytes;
    private volatile boolean closed;

    /** A cached result with its TTL and its weight, both fixed when stored. */
    private record Entry(BatchResult result, long ttlNanos, int weight) {
    }

    public MemoryCache(long maxBytes, CacheEvents events) {
        this(maxBytes, events, Ticker.systemTicker());
    }

    /** @param ticker the time TTLs are measured on (tests advance one by hand) */
    public MemoryCache(long maxBytes, CacheEvents events, Ticker ticker) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("cache size must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.events = events;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((CacheKey k, Entry e) -> e.weight())
                .expireAfter(new PerEntryTtl())
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public BatchResult get(CacheKey key) {
        Entry e = closed ? null : cache.getIfPresent(key);
        events.event(KIND, e == null ? CacheEvents.MISS : CacheEvents.HIT);
        return e == null ? null : e.result();
    }

    @Override
    public void put(CacheKey key, BatchResult value, int ttlSeconds) {
        if (ttlSeconds <= 0 || closed) {
            return;
        }
        long weight = estimateBytes(value);
        if (weight > maxBytes) {
            events.event(KIND, CacheEvents.SKIP); // would evict everything else and then itself
            return;
        }
        cache.put(key, new Entry(value, TimeUnit.SECONDS.toNanos(ttlSeconds), (int) weight));
        events.event(KIND, CacheEvents.STORE);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The bound this cache was built with (bytes). */
    public long maxBytes() {
        return maxBytes;
    }

    /** Estimated bytes held now (a metrics gauge). */
    public long weightedSize() {
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Entries held now, expired ones not yet swept included. */
    public long entries() {
        return cache.estimatedSize();
    }

    /** Runs pending upkeep now (tests). */
    void cleanUp() {
        cache.cleanUp();
    }

    @Override
    public void close() {
        closed = true;
        cache.invalidateAll();
    }

    /**
     * Rough heap bytes of a result plus its key and cache entry: object headers and array headers counted, strings as
     * one byte per char (compact strings) plus their two objects. Close enough for a bound; never negative, at most
     * {@link Integer#MAX_VALUE}.
     */
    static long estimateBytes(BatchResult r) {
        long n = 160; // key (object, digest array), entry record, Caffeine node, BatchResult and its list
        for (OutputTensor t : r.outputs()) {
            n += 48 + text(t.name()) + text(t.datatype()) + 16 + 8L * t.shape().length + 16;
            n += switch (t.data()) {
                case float[] a -> 4L * a.length;
                case double[] a -> 8L * a.length;
                case long[] a -> 8L * a.length;
                case int[] a -> 4L * a.length;
                case boolean[] a -> a.length;
                case String[] a -> {
                    long s = 8L * a.length;
                    for (String x : a) {
                        s += text(x);
                    }
                    yield s;
                }
                case null, default -> 64;
            };
        }
        return Math.min(n, Integer.MAX_VALUE);
    }

    private static long text(String s) {
        return s == null ? 0 : 40 + s.length();
    }

    /** Each entry lives for its own TTL from when it was (last) stored; reads do not extend it. */
    private static final class PerEntryTtl implements Expiry<CacheKey, Entry> {
        @Override
        public long expireAfterCreate(CacheKey key, Entry value, long currentTime) {
            return value.ttlNanos();
        }

        @Override
        public long expireAfterUpdate(CacheKey key, Entry value, long currentTime, long currentDuration) {
            return value.ttlNanos();
        }

        @Override
        public long expireAfterRead(CacheKey key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
