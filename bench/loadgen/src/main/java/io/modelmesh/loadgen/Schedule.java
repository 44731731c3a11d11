package io.modelmesh.loadgen;

import java.time.Duration;

/**
 * When each request is due. Request {@code i} is due at {@code start + i / rate}, computed from {@code i} (never by
 * adding periods, so rounding does not drift). The first {@link #warmupCount()} requests warm up and are not recorded;
 * the next {@link #measuredCount()} are measured.
 */
record Schedule(long startNanos, double rate, long warmupCount, long measuredCount) {

    Schedule {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number of requests per second, got " + rate);
        }
        if (warmupCount < 0 || measuredCount < 1) {
            throw new IllegalArgumentException("need >= 0 warm-up and >= 1 measured requests, got " + warmupCount
                    + " and " + measuredCount);
        }
    }

    /** A schedule starting at {@code startNanos} (a {@link System#nanoTime()} value) for the given spans. */
    static Schedule of(long startNanos, double rate, Duration warmup, Duration duration) {
        long measured = countFor(duration, rate);
        if (measured < 1) {
            throw new IllegalArgumentException("--duration " + duration.toMillis() + " ms at " + rate
                    + " requests/s schedules no request; use a longer duration or a higher rate");
        }
        return new Schedule(startNanos, rate, countFor(warmup, rate), measured);
    }

    /** Number of requests a span holds at this rate, rounded to the nearest whole request. */
    static long countFor(Duration span, double rate) {
        return Math.round(span.toNanos() / 1e9 * rate);
    }

    /** Offset of request {@code i} from the start, in nanoseconds. */
    static long offsetNanos(long i, double rate) {
        return Math.round(i * (1e9 / rate));
    }

    /** The intended send time of request {@code i} ({@link System#nanoTime()} scale). */
    long intendedNanos(long i) {
        return startNanos + offsetNanos(i, rate);
    }

    long totalCount() {
        return warmupCount + measuredCount;
    }

    boolean measured(long i) {
        return i >= warmupCount;
    }

    /** Intended send time of the first measured request. */
    long measuredStartNanos() {
        return intendedNanos(warmupCount);
    }

    /** Nominal length of the measured window: measured requests / rate. */
    long measuredSpanNanos() {
        return offsetNanos(measuredCount, rate);
    }

    /** Intended time one period after the last request: when the schedule is over. */
    long endNanos() {
        return intendedNanos(totalCount());
    }
}
