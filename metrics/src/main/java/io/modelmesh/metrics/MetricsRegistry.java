package io.modelmesh.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Metrics of a ModelMesh server: families created once at start, updated lock-free on hot paths, rendered as Prometheus
 * text on scrape. Not a singleton: each server creates one and hands it to whoever records.
 */
public final class MetricsRegistry {
    private final Map<String, Metric> metrics = new ConcurrentSkipListMap<>();

    public Counter counter(String name, String help, String... labelNames) {
        return add(new Counter(name, help, List.of(labelNames)));
    }

    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return add(new Histogram(name, help, buckets, List.of(labelNames)));
    }

    /** A single-valued gauge read at scrape time. */
    public Gauge gauge(String name, String help, DoubleSupplier value) {
        return add(new Gauge(name, help, List.of(), () -> Map.of(List.of(), value.getAsDouble())));
    }

    /** A labelled gauge read at scrape time: label values (in {@code labelNames} order) to value. */
    public Gauge gauge(String name, String help, Supplier<Map<List<String>, Double>> values, String... labelNames) {
        return add(new Gauge(name, help, List.of(labelNames), values));
    }

    /** The Prometheus text exposition (format 0.0.4) of every family, sorted by name. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        metrics.values().forEach(m -> m.writeTo(out));
        return out.toString();
    }

    private <M extends Metric> M add(M metric) {
        if (metrics.putIfAbsent(metric.name(), metric) != null) {
            throw new IllegalArgumentException("metric " + metric.name() + " is already registered");
        }
        return metric;
    }
}
