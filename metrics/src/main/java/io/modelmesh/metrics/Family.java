package io.modelmesh.metrics;

import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * One metric family: a name, its label names, and a meter per label set, created on first use and kept (Helidon's
 * {@code getOrCreate} takes a lock; a hot path holds the meter or finds it here without one).
 *
 * @param <M> the meter type
 */
public final class Family<M extends Meter> {
    private final MeterRegistry registry;
    private final String name;
    private final List<String> labelNames;
    private final Function<List<Tag>, Meter.Builder<?, M>> builder;
    private final ConcurrentMap<List<String>, M> meters = new ConcurrentHashMap<>();

    Family(MeterRegistry registry, String name, List<String> labelNames,
           Function<List<Tag>, Meter.Builder<?, M>> builder) {
        this.registry = registry;
        this.name = Names.check(name);
        this.labelNames = List.copyOf(labelNames);
        labelNames.forEach(Names::check);
        this.builder = builder;
    }

    /** The meter of one label set (values in label-name order). */
    public M labels(String... values) {
        List<String> key = Names.values(labelNames, values);
        M m = meters.get(key);
        return m != null ? m : meters.computeIfAbsent(key, this::create);
    }

    /** Removes the meter of one label set (a gauge whose subject is gone). */
    void remove(List<String> values) {
        M m = meters.remove(values);
        if (m != null) {
            registry.remove(m);
        }
    }

    List<List<String>> labelSets() {
        return new ArrayList<>(meters.keySet());
    }

    public String name() {
        return name;
    }

    private M create(List<String> values) {
        List<Tag> tags = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            tags.add(Tag.create(labelNames.get(i), values.get(i)));
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        M m = (M) registry.getOrCreate((Meter.Builder) builder.apply(tags));
        return m;
    }
}
