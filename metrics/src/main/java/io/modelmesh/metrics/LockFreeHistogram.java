package io.modelmesh.metrics;

import io.prometheus.client.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram family for the hot path: a {@link LongAdder} per bucket and a {@link DoubleAdder} sum per label set, so
 * an observation is a binary search and two uncontended adds. Micrometer's timer (what a Helidon timer is) also keeps
 * a time-windowed maximum and counts buckets in one shared {@code AtomicLongArray}: measured 9× the cost on one thread
 * and 20× on two (bench/java/MetricsCost.java, docs/benchmark_results.md section 12). It is exposed by the server's
 * own Prometheus registry, the one under its Helidon registry, as a collector: one registry, one exposition.
 */
public final class LockFreeHistogram extends Collector {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final List<String> bucketLabelNames;
    private final double[] bounds;
    private final String[] les;
    private final ConcurrentMap<List<String>, Child> children = new ConcurrentHashMap<>();

    LockFreeHistogram(String name, String help, double[] bounds, List<String> labelNames) {
        this.name = Names.check(name);
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        labelNames.forEach(Names::check);
        if (labelNames.contains("le")) {
            throw new IllegalArgumentException("'le' is reserved for histogram buckets");
        }
        List<String> withLe = new ArrayList<>(labelNames);
        withLe.add("le");
        this.bucketLabelNames = List.copyOf(withLe);
        this.bounds = bounds.clone();
        this.les = new String[bounds.length + 1];
        for (int i = 0; i < bounds.length; i++) {
            les[i] = Collector.doubleToGoString(bounds[i]);
        }
        les[bounds.length] = "+Inf";
    }

    /** The series of one label set (values in label-name order); hold it on a hot path. */
    public Child labels(String... values) {
        List<String> key = Names.values(labelNames, values);
        Child c = children.get(key);
        return c != null ? c : children.computeIfAbsent(key, k -> new Child());
    }

    /** One label set's buckets. */
    public final class Child {
        private final LongAdder[] buckets = new LongAdder[bounds.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        private Child() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        public void observe(double value) {
            int i = Arrays.binarySearch(bounds, value);
            buckets[i >= 0 ? i : -i - 1].increment(); // the first bound >= value; bounds.length is +Inf
            sum.add(value);
        }

        /** Observes a duration given in nanoseconds, in seconds. */
        public void observeNanos(long nanos) {
            observe(nanos / 1e9);
        }

        public long count() {
            long n = 0;
            for (LongAdder b : buckets) {
                n += b.sum();
            }
            return n;
        }
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples.Sample> samples = new ArrayList<>();
        children.forEach((values, c) -> {
            long cumulative = 0;
            for (int i = 0; i < c.buckets.length; i++) {
                cumulative += c.buckets[i].sum();
                List<String> withLe = new ArrayList<>(values);
                withLe.add(les[i]);
                samples.add(new MetricFamilySamples.Sample(name + "_bucket", bucketLabelNames, withLe, cumulative));
            }
            samples.add(new MetricFamilySamples.Sample(name + "_count", labelNames, values, cumulative));
            samples.add(new MetricFamilySamples.Sample(name + "_sum", labelNames, values, c.sum.sum()));
        });
        return List.of(new MetricFamilySamples(name, Type.HISTOGRAM, help, samples));
    }
}
