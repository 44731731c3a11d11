package io.modelmesh.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Observations counted into fixed upper-bound buckets per label set; lock-free ({@link LongAdder} per bucket). */
public final class Histogram implements Metric {
    /** Seconds, from 5 ms to a minute: HTTP handlers and routing pushes. */
    public static final double[] LATENCY_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final double[] bounds;
    private final ConcurrentMap<List<String>, Cells> cells = new ConcurrentHashMap<>();

    Histogram(String name, String help, double[] bounds, List<String> labelNames) {
        this.name = Labels.checkName(name);
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        labelNames.forEach(Labels::checkName);
        if (labelNames.contains("le")) {
            throw new IllegalArgumentException("'le' is reserved for histogram buckets");
        }
        this.bounds = bounds.clone();
        for (int i = 1; i < this.bounds.length; i++) {
            if (this.bounds[i] <= this.bounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(bounds));
            }
        }
    }

    public void observe(double value, String... labelValues) {
        child(labelValues).observe(value);
    }

    /** The series of one label set, for a hot path that observes it often without a label lookup each time. */
    public Child child(String... labelValues) {
        return new Child(cells.computeIfAbsent(Labels.values(labelNames, labelValues), k -> new Cells(bounds.length)));
    }

    /** One label set's buckets. */
    public final class Child {
        private final Cells cells;

        private Child(Cells cells) {
            this.cells = cells;
        }

        public void observe(double value) {
            int i = Arrays.binarySearch(bounds, value);
            int bucket = i >= 0 ? i : -i - 1; // first bound >= value; bounds.length means +Inf
            cells.buckets[bucket].increment();
            cells.sum.add(value);
        }
    }

    /** Number of observations for a label set. */
    public long count(String... labelValues) {
        Cells c = cells.get(Labels.values(labelNames, labelValues));
        if (c == null) {
            return 0;
        }
        long n = 0;
        for (LongAdder b : c.buckets) {
            n += b.sum();
        }
        return n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void writeTo(StringBuilder out) {
        Labels.header(out, name, help, "histogram");
        Map<List<String>, Cells> sorted = new TreeMap<>((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        sorted.putAll(cells);
        sorted.forEach((labels, c) -> {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += c.buckets[i].sum();
                String le = i == bounds.length ? "+Inf" : Labels.formatDouble(bounds[i]);
                out.append(name).append("_bucket").append(Labels.render(labelNames, labels, "le", le)).append(' ')
                        .append(cumulative).append('\n');
            }
            String plain = Labels.render(labelNames, labels, null, null);
            out.append(name).append("_sum").append(plain).append(' ').append(Labels.formatDouble(c.sum.sum())).append('\n');
            out.append(name).append("_count").append(plain).append(' ').append(cumulative).append('\n');
        });
    }

    private static final class Cells {
        final LongAdder[] buckets;
        final DoubleAdder sum = new DoubleAdder();

        Cells(int bounds) {
            buckets = new LongAdder[bounds + 1];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }
}
