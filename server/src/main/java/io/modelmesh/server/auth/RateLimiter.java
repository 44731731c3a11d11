package io.modelmesh.server.auth;

import io.modelmesh.api.RateLimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Per-key token buckets, lock-free: the generic cell rate algorithm keeps one "theoretical arrival time" per key and
 * admits a request when it is no more than {@code burst} emission intervals ahead of now. Keys are token hashes, so
 * the map is bounded by the number of tokens that exist.
 */
public final class RateLimiter {
    private static final int MAX_KEYS = 100_000;
    private final ConcurrentHashMap<String, AtomicLong> arrivals = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass one they advance) */
    public RateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one request from {@code key}'s bucket.
     *
     * @return 0 when admitted, else the nanoseconds until a request would be
     */
    public long acquire(String key, RateLimit limit) {
        long interval = Math.max(1, Math.round(1e9 / limit.perSecond()));
        long tolerance = interval * limit.burst();
        if (arrivals.size() > MAX_KEYS) {
            arrivals.clear(); // forgets bursts already spent: lenient, never wrong the other way for long
        }
        AtomicLong tat = arrivals.computeIfAbsent(key, k -> new AtomicLong(Long.MIN_VALUE));
        while (true) {
            long now = nanoTime.getAsLong();
            long current = tat.get();
            long base = current == Long.MIN_VALUE || current - now < 0 ? now : current;
            long next = base + interval;
            long ahead = next - now;
            if (ahead > tolerance) {
                return ahead - tolerance;
            }
            if (tat.compareAndSet(current, next)) {
                return 0;
            }
        }
    }
}
