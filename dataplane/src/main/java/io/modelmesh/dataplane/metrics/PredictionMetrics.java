package io.modelmesh.dataplane.metrics;

import io.modelmesh.metrics.Counter;
import io.modelmesh.metrics.Histogram;
import io.modelmesh.metrics.MetricsRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The data plane's metrics: prediction requests by model, version and HTTP status, prediction latency histograms by
 * model and version, and prediction-cache outcomes, on the shared lock-free registry, rendered as Prometheus text.
 */
public final class PredictionMetrics {
    /** The label of every model (or version) name the node does not serve: one series for all of them. */
    public static final String UNKNOWN = "_unknown";

    /** Upper bounds in seconds: 50 µs to 10 s (a tabular model answers in microseconds, a large one in seconds). */
    static final double[] BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10};

    private final MetricsRegistry registry = new MetricsRegistry();
    private final Counter requests = registry.counter("mm_requests_total",
            "Prediction requests by model, version and HTTP status.", "model", "version", "code");
    private final Histogram latency = registry.histogram("mm_prediction_latency_seconds",
            "Time to parse and run one prediction request.", BUCKETS, "model", "version");
    private final Counter cacheEvents = registry.counter("mm_cache_events_total",
            "Prediction cache outcomes by backend (memory, redis) and result (hit, miss, store, skip, error, bypass).",
            "backend", "result");

    private final Counter shadowEvents = registry.counter("mm_shadow_events_total",
            "Shadow traffic by model, shadow version and result (mirrored, dropped, failed, compared).",
            "model", "version", "result");

    private final Counter rejections = registry.counter("mm_rejected_total",
            "Prediction requests a version refused by admission control, by model, version and reason (queue_full, "
                    + "wait_exceeds_deadline, deadline_passed).", "model", "version", "reason");
    private final Counter degradations = registry.counter("mm_degraded_total",
            "Predictions answered with a version's fallback instead of a computed answer, by model, version, fallback "
                    + "(cached, default) and cause (overloaded, deadline, failure).", "model", "version", "fallback",
            "cause");

    /** Counts a request a version refused: its queue was full, its wait would pass its deadline, or it passed. */
    public void rejected(String model, String version, String reason) {
        rejections.inc(model, version, reason);
    }

    /** Counts a degraded answer: the version's fallback ({@code cached}, {@code default}) answered for it. */
    public void degraded(String model, String version, String fallback, String cause) {
        degradations.inc(model, version, fallback, cause);
    }

    /** Counts one shadow event: mirrored, dropped (queue full), failed or compared. */
    public void shadowEvent(String model, String version, String result) {
        shadowEvents.inc(model, version, result);
    }

    /** Counts one prediction-cache outcome (the cache's event listener). */
    public void cacheEvent(String backend, String result) {
        cacheEvents.inc(backend, result);
    }

    /** The 200-counter and latency series of one version, held so a success costs no label lookup. */
    private record VersionCells(LongAdder ok, Histogram.Child latency) {
    }

    private final ConcurrentMap<String, ConcurrentMap<String, VersionCells>> byVersion = new ConcurrentHashMap<>();

    /** Counts a successful request and records its latency: the common case, without per-request allocation. */
    public void success(String model, String version, long nanos) {
        ConcurrentMap<String, VersionCells> versions = byVersion.get(model);
        if (versions == null) {
            versions = byVersion.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        }
        VersionCells c = versions.get(version);
        if (c == null) {
            c = versions.computeIfAbsent(version, v -> new VersionCells(requests.cell(model, v, "200"),
                    latency.child(model, v)));
        }
        c.ok().increment();
        c.latency().observe(nanos / 1e9);
    }

    /**
     * Counts a finished request; {@code version} is empty when none was chosen. Callers pass {@link #UNKNOWN} for names
     * the node does not serve, never a name taken from the request as it is.
     */
    public void request(String model, String version, int status) {
        requests.inc(model, version, Integer.toString(status));
    }


    /** Registers a gauge read at scrape time with labels: label values (in {@code labels} order) to value. */
    public void gauge(String name, String help, Supplier<Map<List<String>, Double>> values, String... labels) {
        registry.gauge(name, help, values, labels);
    }

    /** Registers a gauge read at scrape time. */
    public void gauge(String name, String help, LongSupplier value) {
        registry.gauge(name, help, () -> (double) value.getAsLong());
    }

    public String render() {
        return registry.scrape();
    }
}
