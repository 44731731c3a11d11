package io.modelmesh.metrics;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A gauge family whose label sets come and go (versions on a route, features of a model), synced at each scrape. */
final class LabelledGauges {
    private static final Logger LOG = Logger.getLogger(LabelledGauges.class.getName());

    private final Supplier<Map<List<String>, Double>> source;
    private final int labels;
    private final ConcurrentMap<List<String>, Double> current = new ConcurrentHashMap<>();
    private final Family<Gauge<Double>> family;

    LabelledGauges(MeterRegistry registry, String name, String help, Supplier<Map<List<String>, Double>> source,
                   List<String> labelNames) {
        this.source = source;
        this.labels = labelNames.size();
        this.family = new Family<>(registry, name, labelNames, tags -> {
            List<String> key = tags.stream().map(t -> t.value()).toList();
            return Gauge.builder(name, () -> current.getOrDefault(key, Double.NaN)).description(help).tags(tags);
        });
    }

    synchronized void refresh() {
        Map<List<String>, Double> now;
        try {
            now = source.get();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "gauge " + family.name() + " unavailable", e);
            return;
        }
        Set<List<String>> seen = new HashSet<>();
        now.forEach((key, value) -> {
            if (key.size() == labels && value != null) {
                List<String> k = List.copyOf(key);
                current.put(k, value);
                family.labels(k.toArray(String[]::new));
                seen.add(k);
            }
        });
        for (List<String> k : family.labelSets()) {
            if (!seen.contains(k)) {
                family.remove(k);
                current.remove(k);
            }
        }
    }
}
