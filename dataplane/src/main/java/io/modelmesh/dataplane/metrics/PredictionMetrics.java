package io.modelmesh.dataplane.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Timer;
import io.modelmesh.metrics.Family;
import io.modelmesh.metrics.LockFreeHistogram;
import io.modelmesh.metrics.Meters;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The data plane's metrics (names and labels in docs/observability.md), on the node's Helidon registry. The hot path
 * (a successful prediction) finds its version's meters in two map lookups without allocating, then does lock-free
 * adds (its histograms are {@link LockFreeHistogram}s, see there why); everything else is rarer and looks its meter
 * up by labels.
 */
public final class PredictionMetrics implements ServingEvents {
    /** The label of every model (or version) name the node does not serve: one series for all of them. */
    public static final String UNKNOWN = "_unknown";

    /** Rows per engine call: 1 to 1024 in powers of two. */
    static final double[] BATCH_ROWS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final Meters meters;
    private final Family<Counter> predictions;
    private final LockFreeHistogram latency;
    private final LockFreeHistogram queueWait;
    private final LockFreeHistogram batchSize;
    private final Family<Counter> cacheEvents;
    private final Family<Counter> shadowEvents;
    private final Family<Counter> rejections;
    private final Family<Counter> degradations;
    private final Family<Timer> loads;
    private final Family<Counter> loadFailures;
    private final ConcurrentMap<List<String>, Agreement> agreement = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, ConcurrentMap<String, VersionMeters>> byVersion = new ConcurrentHashMap<>();

    public PredictionMetrics() {
        this(Meters.create());
    }

    public PredictionMetrics(Meters meters) {
        this.meters = meters;
        predictions = meters.counter("predictions_total", "Prediction requests by model, version and outcome (ok, "
                + "client_error, rejected, unavailable, error).", "model", "version", "outcome");
        latency = meters.fastHistogram("prediction_latency_seconds",
                "Time to parse and answer one successful prediction request, by model and version.", Meters.PREDICTION_SECONDS, "model", "version");
        queueWait = meters.fastHistogram("queue_wait_seconds",
                "Time a prediction waited at its version's admission gate for a turn, by model and version.", Meters.PREDICTION_SECONDS, "model", "version");
        batchSize = meters.fastHistogram("batch_size", "Rows per engine call (a batch of requests, or one request's "
                + "rows), by model and version.", BATCH_ROWS, "model", "version");
        cacheEvents = meters.counter("cache_events_total", "Prediction cache outcomes by backend (memory, redis) and "
                + "result (hit, miss, store, skip, error, bypass).", "backend", "result");
        shadowEvents = meters.counter("shadow_events_total", "Shadow traffic by model, shadow version and result "
                + "(mirrored, dropped, failed, compared).", "model", "version", "result");
        rejections = meters.counter("requests_rejected_total", "Prediction requests refused by admission control, by "
                + "model and reason (queue_full, wait_exceeds_deadline, deadline_passed).", "model", "reason");
        degradations = meters.counter("predictions_degraded_total", "Predictions answered with a version's fallback "
                + "instead of a computed answer, by model, version, fallback (cached, default) and cause "
                + "(overloaded, deadline, failure).", "model", "version", "fallback", "cause");
        loads = meters.timer("model_load_seconds", "Time to make a model version servable on this node (download, "
                + "verification, validation, load, warm-up), by model.", Meters.LATENCY_SECONDS, "model");
        loadFailures = meters.counter("model_load_failures_total", "Model versions this node failed to make "
                + "servable, by model.", "model");
        meters.gauges("shadow_agreement_ratio", "Share of a shadow version's compared answers whose labels agreed "
                + "with the primary's, since the node started, by model and shadow version.", this::agreements,
                "model", "version");
    }

    public Meters meters() {
        return meters;
    }

    /** Counts a request a version refused: its queue was full, its wait would pass its deadline, or it passed. */
    public void rejected(String model, String version, String reason) {
        rejections.labels(model, reason).increment();
    }

    /** Counts a degraded answer: the version's fallback ({@code cached}, {@code default}) answered for it. */
    public void degraded(String model, String version, String fallback, String cause) {
        degradations.labels(model, version, fallback, cause).increment();
    }

    /** Counts one shadow event: mirrored, dropped (queue full) or failed. */
    public void shadowEvent(String model, String version, String result) {
        shadowEvents.labels(model, version, result).increment();
    }

    /**
     * Counts a compared shadow answer and whether its labels agreed with the primary's; {@code agreed} is null when
     * the answers have no labels to compare (a regression), which the agreement ratio leaves out.
     */
    public void shadowCompared(String model, String version, Boolean agreed) {
        shadowEvent(model, version, "compared");
        if (agreed == null) {
            return;
        }
        Agreement a = agreement.computeIfAbsent(List.of(model, version), k -> new Agreement());
        a.compared.increment();
        if (agreed) {
            a.agreed.increment();
        }
    }

    /** Counts one prediction-cache outcome (the cache's event listener). */
    public void cacheEvent(String backend, String result) {
        cacheEvents.labels(backend, result).increment();
    }

    @Override
    public void loaded(String model, long nanos) {
        loads.labels(model).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void loadFailed(String model) {
        loadFailures.labels(model).increment();
    }

    /** Counts a successful request and records its latency: the common case, without per-request allocation. */
    public void success(String model, String version, long nanos) {
        VersionMeters m = version(model, version);
        m.ok.increment();
        m.latency.observeNanos(nanos);
    }

    /** Records the time a request waited for its turn at the version's admission gate. */
    public void queueWait(String model, String version, long nanos) {
        version(model, version).queueWait.observeNanos(nanos);
    }

    @Override
    public void batch(String model, String version, int rows) {
        version(model, version).batchSize.observe(rows);
    }

    /**
     * Counts a finished request by its HTTP status; {@code version} is empty when none was chosen. Callers pass
     * {@link #UNKNOWN} for names the node does not serve, never a name taken from the request as it is.
     */
    public void request(String model, String version, int status) {
        predictions.labels(model, version, outcome(status)).increment();
    }

    /** The {@code outcome} label of an HTTP status. */
    static String outcome(int status) {
        if (status < 400) {
            return "ok";
        }
        return switch (status) {
            case 429 -> "rejected";
            case 503 -> "unavailable";
            default -> status < 500 ? "client_error" : "error";
        };
    }

    /** Registers a gauge read at scrape time with labels: label values (in {@code labels} order) to value. */
    public void gauge(String name, String help, Supplier<Map<List<String>, Double>> values, String... labels) {
        meters.gauges(name, help, values, labels);
    }

    /** Registers a gauge read at scrape time. */
    public void gauge(String name, String help, LongSupplier value) {
        meters.gauge(name, help, () -> (double) value.getAsLong());
    }

    public String render() {
        return meters.scrape();
    }

    private VersionMeters version(String model, String version) {
        ConcurrentMap<String, VersionMeters> versions = byVersion.get(model);
        if (versions == null) {
            versions = byVersion.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        }
        VersionMeters m = versions.get(version);
        if (m == null) {
            m = versions.computeIfAbsent(version, v -> new VersionMeters(predictions.labels(model, v, "ok"),
                    latency.labels(model, v), queueWait.labels(model, v), batchSize.labels(model, v)));
        }
        return m;
    }

    private Map<List<String>, Double> agreements() {
        Map<List<String>, Double> out = new HashMap<>();
        agreement.forEach((k, a) -> {
            long n = a.compared.sum();
            if (n > 0) {
                out.put(k, (double) a.agreed.sum() / n);
            }
        });
        return out;
    }

    /** The meters of one served version, held so a success costs no label lookup. */
    private record VersionMeters(Counter ok, LockFreeHistogram.Child latency, LockFreeHistogram.Child queueWait,
                                 LockFreeHistogram.Child batchSize) {
    }

    private static final class Agreement {
        final LongAdder compared = new LongAdder();
        final LongAdder agreed = new LongAdder();
    }
}
