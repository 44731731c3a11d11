package io.modelmesh.dataplane.cache;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Results to cache, a deep comparison for them, and fakes for the caches' collaborators. */
final class TestResults {
    private TestResults() {
    }

    /** A classifier-like result: FP32 probabilities and an INT64 label per row, derived from {@code seed}. */
    static BatchResult scores(int seed, int rows) {
        float[] p = new float[rows * 3];
        long[] label = new long[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                p[r * 3 + c] = seed * 0.5f + r + c / 10f;
            }
            label[r] = seed + r;
        }
        return new BatchResult(List.of(
                new OutputTensor("probabilities", "FP32", new long[]{rows, 3}, p),
                new OutputTensor("label", "INT64", new long[]{rows}, label)));
    }

    static boolean same(BatchResult a, BatchResult b) {
        if (a == null || b == null || a.outputs().size() != b.outputs().size()) {
            return false;
        }
        for (int i = 0; i < a.outputs().size(); i++) {
            OutputTensor x = a.outputs().get(i);
            OutputTensor y = b.outputs().get(i);
            if (!x.name().equals(y.name()) || !x.datatype().equals(y.datatype())
                    || !Arrays.equals(x.shape(), y.shape())
                    || !Arrays.deepEquals(new Object[]{x.data()}, new Object[]{y.data()})) {
                return false;
            }
        }
        return true;
    }

    /** Counts events by result. */
    static final class CountingEvents implements CacheEvents {
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public void event(String backend, String result) {
            counts.computeIfAbsent(result, r -> new LongAdder()).increment();
        }

        long count(String result) {
            LongAdder a = counts.get(result);
            return a == null ? 0 : a.sum();
        }

        @Override
        public String toString() {
            return counts.toString();
        }
    }

    /** Nanoseconds that move only when told to (a Caffeine ticker and a breaker clock). */
    static final class ManualClock implements com.github.benmanes.caffeine.cache.Ticker {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long read() {
            return nanos.get();
        }

        long nanos() {
            return nanos.get();
        }

        void advance(java.time.Duration d) {
            nanos.addAndGet(d.toNanos());
        }
    }
}
