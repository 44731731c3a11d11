package io.modelmesh.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count per label set; increments are lock-free ({@link LongAdder}). */
public final class Counter implements Metric {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final ConcurrentMap<List<String>, LongAdder> cells = new ConcurrentHashMap<>();

    Counter(String name, String help, List<String> labelNames) {
        this.name = Labels.checkName(name);
        this.help = help;
        this.labelNames = List.copyOf(labelNames);
        labelNames.forEach(Labels::checkName);
    }

    public void inc(String... labelValues) {
        add(1, labelValues);
    }

    public void add(long n, String... labelValues) {
        if (n < 0) {
            throw new IllegalArgumentException("counters only go up, got " + n);
        }
        cells.computeIfAbsent(Labels.values(labelNames, labelValues), k -> new LongAdder()).add(n);
    }

    /**
     * The cell of one label set, for a hot path that increments it often: holding it skips the label lookup (and its
     * allocation) on every increment.
     */
    public LongAdder cell(String... labelValues) {
        return cells.computeIfAbsent(Labels.values(labelNames, labelValues), k -> new LongAdder());
    }

    /** Current value for a label set (0 when never incremented). */
    public long value(String... labelValues) {
        LongAdder a = cells.get(Labels.values(labelNames, labelValues));
        return a == null ? 0 : a.sum();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void writeTo(StringBuilder out) {
        Labels.header(out, name, help, "counter");
        Map<String, Long> sorted = new TreeMap<>();
        cells.forEach((labels, adder) -> sorted.put(Labels.render(labelNames, labels, null, null), adder.sum()));
        sorted.forEach((labels, v) -> out.append(name).append(labels).append(' ').append(v).append('\n'));
    }
}
