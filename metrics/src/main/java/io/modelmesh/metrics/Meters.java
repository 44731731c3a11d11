package io.modelmesh.metrics;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.metrics.api.BuiltInMeterNameFormat;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionStatisticsConfig;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.MetricsFactory;
import io.helidon.metrics.api.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.helidon.metrics.spi.MetersProvider;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The metrics of one ModelMesh server on helidon-metrics: families created at start, meters held by the code that
 * records (increments and observations are Micrometer's lock-free adders), Prometheus text on scrape. The names given
 * here are the names exposed: a counter's ends in {@code _total}, a timer's in {@code _seconds}. Not a singleton: each
 * server makes one ({@link #create()}) and hands it to whoever records. The JVM meters Helidon brings
 * (helidon-metrics-system-meters: heap, threads, GC, class loading, CPU, uptime) are registered in every one.
 */
public final class Meters {
    /** Seconds, from 5 ms to a minute: HTTP handlers, routing pushes, model loads. */
    public static final double[] LATENCY_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Seconds, from 50 µs to 10 s: a tabular model answers in microseconds, a large one in seconds. */
    public static final double[] PREDICTION_SECONDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final MeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final List<LabelledGauges> labelledGauges = new CopyOnWriteArrayList<>();

    private Meters(IsolatedRegistry.Registries registries) {
        this.registry = registries.helidon();
        this.prometheus = registries.prometheus();
    }

    /** A registry of its own, with the JVM meters. */
    public static Meters create() {
        MetricsFactory factory = Factory.INSTANCE;
        Meters meters = new Meters(IsolatedRegistry.create(factory, factory.metricsConfig()));
        for (MetersProvider provider : ServiceLoader.load(MetersProvider.class, Meters.class.getClassLoader())) {
            for (Meter.Builder<?, ?> b : provider.meterBuilders(factory)) {
                meters.register(b);
            }
        }
        return meters;
    }

    /**
     * Helidon's metrics factory, configured once per process: the JVM meters named in snake case
     * ({@code memory_used_heap_bytes}, not {@code memory_usedHeap_bytes}) like every other family.
     */
    private static final class Factory {
        static final MetricsFactory INSTANCE = MetricsFactory.getInstance(Config.just(ConfigSources.create(
                Map.of("built-in-meter-name-format", BuiltInMeterNameFormat.SNAKE.name()))));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void register(Meter.Builder<?, ?> builder) {
        registry.getOrCreate((Meter.Builder) builder);
    }

    /** A counter family; {@code name} ends in {@code _total}. */
    public Family<Counter> counter(String name, String help, String... labelNames) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        return new Family<>(registry, name, List.of(labelNames), tags -> Counter.builder(name).description(help)
                .tags(tags));
    }

    /** A histogram of durations with the given upper bounds in seconds; {@code name} ends in {@code _seconds}. */
    public Family<Timer> timer(String name, String help, double[] bucketsSeconds, String... labelNames) {
        if (!name.endsWith("_seconds")) {
            throw new IllegalArgumentException("a timer's name ends in _seconds: " + name);
        }
        Duration[] buckets = Arrays.stream(increasing(bucketsSeconds))
                .mapToObj(s -> Duration.ofNanos(Math.round(s * 1e9))).toArray(Duration[]::new);
        String base = name.substring(0, name.length() - "_seconds".length()); // Micrometer adds the unit back
        return new Family<>(registry, name, List.of(labelNames), tags -> Timer.builder(base).description(help)
                .buckets(buckets).tags(tags));
    }

    /**
     * A histogram for the hot path (per-request latencies, queue waits, batch sizes): lock-free buckets exposed by this
     * server's registry (see {@link LockFreeHistogram} for why not a Helidon timer there).
     */
    public LockFreeHistogram fastHistogram(String name, String help, double[] buckets, String... labelNames) {
        LockFreeHistogram h = new LockFreeHistogram(name, help, increasing(buckets), List.of(labelNames));
        h.register(prometheus.getPrometheusRegistry());
        return h;
    }

    /** A histogram of whole numbers (sizes, counts) with the given integral upper bounds. */
    public Family<DistributionSummary> histogram(String name, String help, long[] buckets, String... labelNames) {
        double[] bounds = increasing(Arrays.stream(buckets).asDoubleStream().toArray());
        return new Family<>(registry, name, List.of(labelNames), tags -> DistributionSummary.builder(name,
                DistributionStatisticsConfig.builder().buckets(bounds)).description(help).tags(tags));
    }

    /** A single-valued gauge read at scrape time. */
    public void gauge(String name, String help, DoubleSupplier value) {
        Names.check(name);
        registry.getOrCreate(Gauge.builder(name, () -> value.getAsDouble()).description(help));
    }

    /**
     * A labelled gauge read at scrape time: label values (in {@code labelNames} order) to value. Label sets that
     * appear get a series, those that disappear lose theirs. A supplier that fails (a database down) leaves the
     * series as they were for that scrape instead of failing the exposition.
     */
    public void gauges(String name, String help, Supplier<Map<List<String>, Double>> values, String... labelNames) {
        labelledGauges.add(new LabelledGauges(registry, name, help, values, List.of(labelNames)));
    }

    /** The Prometheus text exposition (format 0.0.4) of every family. */
    public String scrape() {
        labelledGauges.forEach(LabelledGauges::refresh);
        // the Prometheus registry under the Helidon one, whole: Helidon's formatter would select only the families of
        // Helidon meters and leave the lock-free histograms out
        return prometheus.scrape(TextFormat.CONTENT_TYPE_004);
    }

    private static double[] increasing(double[] bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(bounds));
            }
        }
        return bounds.clone();
    }
}
