package io.modelmesh.dataplane;

import io.modelmesh.api.security.Redaction;
import io.modelmesh.dataplane.admission.AdmissionDefaults;
import io.modelmesh.server.config.ServerFlags;
import io.modelmesh.server.observe.LogSetup;
import io.modelmesh.server.observe.Observability;

import java.util.Map;

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
            System.setProperty(key, Integer.toString(AdmissionDefaults.carriers(cores, config.engineThreads())));
        }
    }

    public static void main(String[] args) {
        DataPlaneConfig config;
        Observability observability;
        try {
            Map<String, String> flags = DataPlaneConfig.FLAGS.parse(args);
            observability = Observability.from(flags, System.getenv());
            config = DataPlaneConfig.fromFlags(flags, System.getenv());
            io.modelmesh.dataplane.drift.SamplerConfig.fromEnv(System.getenv()); // read again by start: fail early
        } catch (ServerFlags.HelpRequested help) {
            System.out.print(DataPlaneConfig.FLAGS.usage());
            System.out.println();
            System.out.println("More environment: MM_JOIN_TOKEN, MM_SHADOW_QUEUE, MM_CACHE_MAX_BYTES, MM_DRIFT_ROWS, "
                    + "MM_DRIFT_QUEUE, MM_REDIS_TIMEOUT_MS (see docs/CONTRACTS.md).");
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("dataplane: " + e.getMessage());
            System.err.println("see 'dataplane --help' for the options");
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
