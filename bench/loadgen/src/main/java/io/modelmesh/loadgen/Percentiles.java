package io.modelmesh.loadgen;

import org.HdrHistogram.AbstractHistogram;

/** The latency figures a run reports, in microseconds, taken from a histogram recorded in microseconds. */
record Percentiles(long count, long p50, long p90, long p99, long p999, long max) {

    static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0);

    static Percentiles of(AbstractHistogram us) {
        if (us.getTotalCount() == 0) {
            return EMPTY;
        }
        return new Percentiles(us.getTotalCount(), us.getValueAtPercentile(50), us.getValueAtPercentile(90),
                us.getValueAtPercentile(99), us.getValueAtPercentile(99.9), us.getMaxValue());
    }
}
