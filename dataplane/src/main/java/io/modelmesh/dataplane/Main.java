package io.modelmesh.dataplane;

import io.modelmesh.api.security.Redaction;
import io.modelmesh.server.observe.LogSetup;
import io.modelmesh.server.observe.Observability;

import java.util.Arrays;

/** {@code java io.modelmesh.dataplane.Main [--port 8000] [--control-plane URL] [--home DIR] [--node-id ID]}. */
public final class Main {
    private Main() {
    }

    /**
     * Sets the virtual-thread scheduler's carriers, unless the JVM was told a number: the cores plus what the engine
     * calls of one unbatched version may pin. An engine call is native code, so the virtual thread making it holds its
     * carrier until it returns; with as many carriers as cores (the JDK's default), one busy version's engine turns can
     * hold every carrier, and new requests, refusals and health checks wait behind them. Measured under a
     * 512-connection storm on two cores: p99 of all answers 1.2-7.7 s with two carriers, 0.16-0.6 s with four
     * (docs/benchmark_results.md section 11). Must run before the first virtual thread exists.
     */
    static void carriers(DataPlaneConfig config) {
        String key = "jdk.virtualThreadScheduler.parallelism";
        if (System.getProperty(key) == null) {
            int cores = Runtime.getRuntime().availableProcessors();
            System.setProperty(key, Integer.toString(cores + Math.max(1, cores / config.engineThreads())));
        }
    }

    public static void main(String[] args) {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("usage: dataplane [--host H] [--port 8000] "
                    + "[--control-plane http://127.0.0.1:8080[,URL...]] "
                    + "[--home DIR] [--node-id ID] [--advertise-url URL] [--engine-threads N] [--batch-workers N] [--redis-url redis://H:P] "
                    + "[--report-interval 1s] [--echo-route] [--tls-cert FILE --tls-key FILE] [--tls-ca FILE] "
                    + "[--join-token-file FILE] [--allow-anonymous-predict[=false]] [--cors-allowed-origins O,...] "
                    + "[--public-metrics true|false] [--validation-timeout 30s] [--validation-memory 2GiB] "
                    + "[--allowed-frameworks onnx,torchscript,sklearn,pmml] [--prepare-timeout 60s] "
                    + "[--read-timeout 30s] [--max-inflight-bytes 64MiB] [--max-concurrency N] [--max-queue N] "
                    + "[--request-timeout 5s] [--drain-timeout 25s]  (see docs/CONTRACTS.md)");
            System.out.println("environment: MM_CONTROL_PLANE, MM_HOME, MM_JOIN_TOKEN, MM_REDIS_URL (a URL with a "
                    + "password belongs here, not in --redis-url), MM_TLS_CERT, MM_TLS_KEY, MM_TLS_CA, "
                    + "MM_ENGINE_THREADS, MM_BATCH_WORKERS, MM_REPORT_INTERVAL, MM_SHADOW_QUEUE, MM_CACHE_MAX_BYTES, "
                    + "MM_DRIFT_ROWS, MM_DRIFT_QUEUE, MM_MAX_CONCURRENCY, MM_MAX_QUEUE, MM_REQUEST_TIMEOUT, "
                    + "MM_DRAIN_TIMEOUT");
            System.out.print(Observability.USAGE);
            return;
        }
        DataPlaneConfig config;
        Observability observability;
        try {
            Observability.Parsed parsed = Observability.parse(args, System.getenv());
            observability = parsed.settings();
            config = DataPlaneConfig.fromArgs(parsed.rest(), System.getenv());
            io.modelmesh.dataplane.drift.SamplerConfig.fromEnv(System.getenv()); // read again by start: fail early
        } catch (IllegalArgumentException e) {
            System.err.println("dataplane: " + e.getMessage());
            System.exit(2);
            return;
        }
        LogSetup.configure(observability.logFormat(), "dataplane");
        DataPlaneConfig.commandLineWarnings(args).forEach(w -> System.err.println("dataplane: warning: " + w));
        carriers(config);
        DataPlane node;
        try {
            node = DataPlane.start(config, observability);
        } catch (RuntimeException e) {
            System.err.println("data plane failed to start: " + Redaction.url(e.getMessage()));
            System.exit(1);
            return;
        }
        // SIGTERM (and SIGINT): readiness 503 and new requests refused at once, requests in flight finish (at most
        // --drain-timeout), then the node stops
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("data plane " + node.nodeId() + " draining (at most "
                    + config.serving().drainTimeout().toMillis() + " ms)");
            node.close();
            System.err.println("data plane " + node.nodeId() + " stopped");
        }, "dataplane-shutdown"));
        System.out.println("data plane " + node.nodeId() + " ready on " + node.uri());
    }
}
