import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Timer;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.metrics.Meters;
import io.modelmesh.server.http.HttpMetrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the metrics cost one successful prediction, in-process without a server (the predict-vs-echo runs on a shared
 * machine are too noisy to resolve it): THREADS threads record what a node records for a successful, unbatched
 * prediction, as fast as they can for SECONDS: the prediction counter and latency, queue wait and batch size
 * histograms, and the HTTP filter's counter and duration histogram. Modes:
 * <ul>
 *   <li>{@code built}: the node's meters as built: Helidon counters, {@code LockFreeHistogram}s;</li>
 *   <li>{@code timers}: the same with Helidon timers and a distribution summary for the four histograms (Micrometer
 *   underneath), the first design;</li>
 *   <li>{@code adders}: the same six updates on bare lock-free cells (a LongAdder per counter, a LongAdder per bucket
 *   and a DoubleAdder sum per histogram), what the hand-written registry this replaced did: the floor a lock-free
 *   front in front of Helidon could reach.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp 'dist/target/modelmesh/lib/*' bench/java/MetricsCost.java THREADS SECONDS}
 */
public final class MetricsCost {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int round = 0; round < 2; round++) { // the first round of each warms the JIT
            for (String mode : new String[]{"built", "timers", "adders"}) {
                Runnable op = switch (mode) {
                    case "built" -> built();
                    case "timers" -> timers();
                    default -> adders();
                };
                long ops = run(op, threads, seconds);
                if (round == 1) {
                    System.out.println(String.format(Locale.ROOT, "METRICS_COST mode=%s threads=%d ops=%d "
                            + "ops_per_s=%d ns_per_op_per_thread=%.1f", mode, threads, ops, ops / seconds,
                            threads * seconds * 1e9 / ops));
                }
            }
        }
    }

    static Runnable timers() {
        Meters meters = Meters.create();
        Counter ok = meters.counter("predictions_total", "p", "model", "version", "outcome").labels("iris", "1.0.0",
                "ok");
        Counter httpOk = meters.counter("http_requests_total", "h", "method", "route", "status").labels("POST",
                "/predict/{model}", "200");
        Timer latency = meters.timer("prediction_latency_seconds", "l", Meters.PREDICTION_SECONDS, "model", "version")
                .labels("iris", "1.0.0");
        Timer wait = meters.timer("queue_wait_seconds", "w", Meters.PREDICTION_SECONDS, "model", "version")
                .labels("iris", "1.0.0");
        Timer httpLatency = meters.timer("http_request_duration_seconds", "d", Meters.LATENCY_SECONDS, "method",
                "route").labels("POST", "/predict/{model}");
        DistributionSummary batch = meters.histogram("batch_size", "b", new long[]{1, 2, 4, 8, 16, 32, 64, 128, 256,
                512, 1024}, "model", "version").labels("iris", "1.0.0");
        return () -> {
            wait.record(2_000, TimeUnit.NANOSECONDS);
            batch.record(1);
            ok.increment();
            latency.record(90_000, TimeUnit.NANOSECONDS);
            httpOk.increment();
            httpLatency.record(120_000, TimeUnit.NANOSECONDS);
        };
    }

    static Runnable built() {
        Meters meters = Meters.create();
        PredictionMetrics predictions = new PredictionMetrics(meters);
        HttpMetrics http = new HttpMetrics(meters);
        return () -> {
            predictions.queueWait("iris", "1.0.0", 2_000);
            predictions.batch("iris", "1.0.0", 1);
            predictions.success("iris", "1.0.0", 90_000);
            http.record("POST", "/predict/{model}", 200, 120_000);
        };
    }

    static Runnable adders() {
        double[] bounds = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                1, 2.5, 5, 10};
        LongAdder ok = new LongAdder();
        LongAdder httpOk = new LongAdder();
        Hist latency = new Hist(bounds);
        Hist wait = new Hist(bounds);
        Hist batch = new Hist(new double[]{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
        Hist httpLatency = new Hist(bounds);
        return () -> {
            wait.observe(2e-6);
            batch.observe(1);
            ok.increment();
            latency.observe(90e-6);
            httpOk.increment();
            httpLatency.observe(120e-6);
        };
    }

    static long run(Runnable op, int threads, int seconds) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder total = new LongAdder();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = Thread.ofPlatform().start(() -> {
                long n = 0;
                while (!stop.get()) {
                    op.run();
                    n++;
                }
                total.add(n);
            });
        }
        Thread.sleep(seconds * 1000L); // a benchmark's duration, not a test's wait
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        return total.sum();
    }

    static final class Hist {
        final double[] bounds;
        final LongAdder[] buckets;
        final DoubleAdder sum = new DoubleAdder();

        Hist(double[] bounds) {
            this.bounds = bounds;
            buckets = new LongAdder[bounds.length + 1];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double v) {
            int i = Arrays.binarySearch(bounds, v);
            buckets[i >= 0 ? i : -i - 1].increment();
            sum.add(v);
        }
    }
}
