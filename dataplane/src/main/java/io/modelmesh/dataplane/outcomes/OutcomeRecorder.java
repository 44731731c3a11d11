package io.modelmesh.dataplane.outcomes;

import io.modelmesh.api.LatencyHistogram;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cumulative per-(model, version) request outcomes on the request path: requests, server errors and a latency
 * histogram in {@link LatencyHistogram}'s buckets, all {@link LongAdder}s (no lock, no allocation once a version has
 * its cells). The {@link OutcomeReporter} sends deltas between {@link #snapshot()}s, so every request lands in exactly
 * one report. Client errors (4xx) are never recorded.
 */
public final class OutcomeRecorder {
    private final ConcurrentMap<String, ConcurrentMap<String, Cells>> byModel = new ConcurrentHashMap<>();

    /** One version's counters. Written in the order latency, requests, errors; read in the reverse order. */
    private static final class Cells {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder sumNanos = new LongAdder();
        final LongAdder[] buckets = new LongAdder[LatencyHistogram.BUCKETS];

        Cells() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    /** Identity of a version's series. */
    public record Key(String model, String version) {
    }

    /** Cumulative counts of one version at one instant. */
    public record Totals(long requests, long errors, long[] buckets, long sumNanos) {
        static final Totals ZERO = new Totals(0, 0, new long[0], 0);

        /** {@code this - earlier} as a histogram window. */
        public LatencyHistogram latencySince(Totals earlier) {
            long[] d = buckets.clone();
            for (int i = 0; i < earlier.buckets.length && i < d.length; i++) {
                d[i] -= earlier.buckets[i];
            }
            return new LatencyHistogram(d, (sumNanos - earlier.sumNanos) / 1e6);
        }
    }

    /** Records one request that reached {@code version}; {@code serverError} for any 5xx (injected faults too). */
    public void record(String model, String version, long nanos, boolean serverError) {
        ConcurrentMap<String, Cells> versions = byModel.get(model);
        if (versions == null) {
            versions = byModel.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        }
        Cells c = versions.get(version);
        if (c == null) {
            c = versions.computeIfAbsent(version, v -> new Cells());
        }
        c.buckets[LatencyHistogram.bucketOf(nanos / 1e6)].increment();
        c.sumNanos.add(nanos);
        c.requests.increment();
        if (serverError) {
            c.errors.increment();
        }
    }

    /** Cumulative totals of every version ever recorded. */
    public Map<Key, Totals> snapshot() {
        Map<Key, Totals> out = new HashMap<>();
        byModel.forEach((model, versions) -> versions.forEach((version, c) -> {
            long errors = c.errors.sum();
            long requests = c.requests.sum();
            long sum = c.sumNanos.sum();
            long[] buckets = new long[c.buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = c.buckets[i].sum();
            }
            out.put(new Key(model, version), new Totals(requests, errors, buckets, sum));
        }));
        return out;
    }
}
