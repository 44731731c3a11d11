package io.modelmesh.loadgen;

import org.HdrHistogram.ConcurrentHistogram;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the connection threads record for measured requests: latency from the intended send time, how late each was
 * sent, statuses and errors.
 */
final class Tally {
    /** Latencies are recorded in microseconds, 1 µs .. 60 s, 3 significant digits; longer ones count as 60 s. */
    static final long LOWEST_US = 1;
    static final long HIGHEST_US = 60_000_000;

    private final ConcurrentHistogram latencyUs = new ConcurrentHistogram(LOWEST_US, HIGHEST_US, 3);
    private final ConcurrentHistogram sendLagUs = new ConcurrentHistogram(LOWEST_US, HIGHEST_US, 2);
    private final LongAdder responses = new LongAdder();
    private final LongAdder non2xx = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong lastCompletionNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicReference<String> firstNon2xx = new AtomicReference<>();

    /** A request sent {@code lagNanos} after it was due (0 or less: on time). */
    void sent(long lagNanos) {
        sendLagUs.recordValue(toRecordableMicros(lagNanos));
    }

    /** A response (any status) that completed at {@code completedNanos}, {@code latencyNanos} after it was due. */
    void response(int status, long latencyNanos, long completedNanos) {
        latencyUs.recordValue(toRecordableMicros(latencyNanos));
        responses.increment();
        if (status < 200 || status > 299) {
            non2xx.increment();
            firstNon2xx.compareAndSet(null, "HTTP " + status);
        }
        lastCompletionNanos.accumulateAndGet(completedNanos, Math::max);
    }

    /** A request that got no response (connect refused, reset, timeout, malformed answer). */
    void error(Exception e) {
        errors.increment();
        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    static long toRecordableMicros(long nanos) {
        return Math.max(LOWEST_US, Math.min(HIGHEST_US, nanos / 1_000));
    }

    Percentiles percentiles() {
        return Percentiles.of(latencyUs);
    }

    /** 99th percentile of how late requests were sent: thread wake-up delay plus waits for a free connection. */
    long sendLagP99Micros() {
        return sendLagUs.getTotalCount() == 0 ? 0 : sendLagUs.getValueAtPercentile(99);
    }

    long responses() {
        return responses.sum();
    }

    long non2xx() {
        return non2xx.sum();
    }

    long errors() {
        return errors.sum();
    }

    /** Completion time of the latest response, or {@link Long#MIN_VALUE} when none came. */
    long lastCompletionNanos() {
        return lastCompletionNanos.get();
    }

    String firstError() {
        return firstError.get();
    }

    String firstNon2xx() {
        return firstNon2xx.get();
    }
}
