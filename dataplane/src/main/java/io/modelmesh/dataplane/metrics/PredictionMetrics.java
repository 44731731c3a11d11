package io.modelmesh.dataplane.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Request counters and prediction-latency histograms by model and version, rendered in the Prometheus text format.
 * Lock-free on the hot path (LongAdder per bucket); series are created on first use.
 */
public final class PredictionMetrics {
    /** Upper bounds in seconds: 50 µs to 10 s. */
    static final double[] BUCKETS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
            0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<Key, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    private record Key(String model, String version, int status) {
    }

    /** Counts a finished request; {@code version} is empty when none was chosen (unknown model). */
    public void request(String model, String version, int status) {
        requests.computeIfAbsent(new Key(model, version, status), k -> new LongAdder()).increment();
    }

    /** Records the time one prediction took (parse, inference, no network). */
    public void latency(String model, String version, long nanos) {
        latency.computeIfAbsent(new Key(model, version, 0), k -> new Histogram()).record(nanos / 1e9);
    }

    /** Registers a gauge read at scrape time. */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    public String render() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP mm_requests_total Prediction requests by model, version and HTTP status.\n")
                .append("# TYPE mm_requests_total counter\n");
        requests.forEach((k, v) -> sb.append("mm_requests_total{model=\"").append(esc(k.model))
                .append("\",version=\"").append(esc(k.version)).append("\",code=\"").append(k.status).append("\"} ")
                .append(v.sum()).append('\n'));
        sb.append("# HELP mm_prediction_latency_seconds Time to parse and run one prediction request.\n")
                .append("# TYPE mm_prediction_latency_seconds histogram\n");
        latency.forEach((k, h) -> h.render(sb, "mm_prediction_latency_seconds",
                "model=\"" + esc(k.model) + "\",version=\"" + esc(k.version) + "\""));
        gauges.forEach((name, g) -> sb.append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(g.getAsLong()).append('\n'));
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void record(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(seconds);
        }

        void render(StringBuilder sb, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                sb.append(name).append("_bucket{").append(labels).append(",le=\"").append(BUCKETS[i]).append("\"} ")
                        .append(cumulative).append('\n');
            }
            cumulative += counts[BUCKETS.length].sum();
            sb.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(cumulative).append('\n');
            sb.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
            sb.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
        }
    }
}
