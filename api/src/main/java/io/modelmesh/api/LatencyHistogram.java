package io.modelmesh.api;

import java.util.Arrays;

/**
 * Request latencies in fixed geometric buckets, small enough to send every second and exact to merge: bucket 0 holds
 * everything up to 10 µs, bucket {@code i} everything up to {@code 0.01 ms × 1.1^i}, the last one everything above
 * (60 s and more). A quantile is read as its bucket's upper bound, so it is never reported lower than it was, and at
 * most 10 % higher. Immutable; a node records into a {@code LongAdder}-backed copy and snapshots it.
 *
 * @param counts requests per bucket; trailing empty buckets may be left out
 * @param sumMs  sum of all latencies (ms), for the mean
 */
public record LatencyHistogram(long[] counts, double sumMs) {
    /** Upper bound of bucket 0 (ms). */
    public static final double FIRST_BOUND_MS = 0.01;
    /** Ratio between consecutive bucket bounds. */
    public static final double GROWTH = 1.1;
    /** Number of buckets: bounds up to about 60 s, then one open-ended bucket. */
    public static final int BUCKETS = 165;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final double[] BOUNDS = new double[BUCKETS];

    static {
        for (int i = 0; i < BUCKETS; i++) {
            BOUNDS[i] = FIRST_BOUND_MS * Math.pow(GROWTH, i);
        }
    }

    public LatencyHistogram {
        counts = counts == null ? new long[0] : trim(counts);
        if (counts.length > BUCKETS) {
            throw new IllegalArgumentException("a latency histogram has at most " + BUCKETS + " buckets, got "
                    + counts.length);
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("latency bucket counts must not be negative");
            }
        }
    }

    public static LatencyHistogram empty() {
        return new LatencyHistogram(new long[0], 0);
    }

    /** The bucket a latency of {@code ms} falls into. */
    public static int bucketOf(double ms) {
        if (!(ms > FIRST_BOUND_MS)) {
            return 0;
        }
        int i = (int) Math.ceil(Math.log(ms / FIRST_BOUND_MS) / LOG_GROWTH - 1e-9);
        if (i < BUCKETS && BOUNDS[i] < ms) {
            i++; // rounding at an exact bound
        }
        return Math.min(i, BUCKETS - 1);
    }

    /** Upper bound of bucket {@code i} in ms ({@code +∞} for the last one). */
    public static double upperBoundMs(int i) {
        return i >= BUCKETS - 1 ? Double.POSITIVE_INFINITY : BOUNDS[i];
    }

    public long count() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** Mean latency in ms, NaN when empty. */
    public double meanMs() {
        long n = count();
        return n == 0 ? Double.NaN : sumMs / n;
    }

    /**
     * The {@code q} quantile (0 < q <= 1) as its bucket's upper bound in ms; NaN when empty. The last bucket reports
     * the largest finite bound (60 s).
     */
    public double quantileMs(double q) {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i >= BUCKETS - 1 ? BOUNDS[BUCKETS - 2] : BOUNDS[i];
            }
        }
        return BOUNDS[BUCKETS - 2];
    }

    /** The sum of both histograms. */
    public LatencyHistogram plus(LatencyHistogram other) {
        long[] sum = Arrays.copyOf(counts, Math.max(counts.length, other.counts.length));
        for (int i = 0; i < other.counts.length; i++) {
            sum[i] += other.counts[i];
        }
        return new LatencyHistogram(sum, sumMs + other.sumMs);
    }

    private static long[] trim(long[] c) {
        int n = c.length;
        while (n > 0 && c[n - 1] == 0) {
            n--;
        }
        return n == c.length ? c.clone() : Arrays.copyOf(c, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram h && Arrays.equals(counts, h.counts)
                && Double.compare(sumMs, h.sumMs) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + Double.hashCode(sumMs);
    }

    @Override
    public String toString() {
        return "LatencyHistogram[n=" + count() + ", p99=" + quantileMs(0.99) + " ms]";
    }
}
