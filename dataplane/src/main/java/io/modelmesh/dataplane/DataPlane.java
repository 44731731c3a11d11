package io.modelmesh.dataplane;

import io.helidon.webserver.WebServer;
import io.modelmesh.dataplane.cache.CacheConfig;
import io.modelmesh.dataplane.cache.Caches;
import io.modelmesh.dataplane.cache.PredictionCache;
import io.modelmesh.dataplane.http.DataPlaneRouting;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.outcomes.OutcomeRecorder;
import io.modelmesh.dataplane.outcomes.OutcomeReporter;
import io.modelmesh.dataplane.shadow.ShadowLedger;
import io.modelmesh.dataplane.shadow.ShadowMirror;
import io.modelmesh.dataplane.sync.ControlPlaneApi;
import io.modelmesh.dataplane.sync.ControlPlaneLink;
import io.modelmesh.dataplane.sync.LocalStore;
import io.modelmesh.dataplane.sync.ModelPreparer;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.Engines;
import io.modelmesh.engine.validate.ModelValidator;
import io.modelmesh.server.io.ReadWatchdog;

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A running data-plane node: restores the routing table it served last (so it serves even when the control plane is
 * down), starts the HTTP server, then registers and heartbeats with the control plane; sends an outcome report
 * every report interval and runs shadow versions on a worker of their own.
 */
public final class DataPlane implements AutoCloseable {
    private final DataPlaneConfig config;
    private final WebServer server;
    private final RoutingApplier tables;
    private final ControlPlaneLink link;
    private final PredictionCache cache;
    private final ShadowMirror shadows;
    private final OutcomeReporter reporter;
    private final ReadWatchdog watchdog;

    private DataPlane(DataPlaneConfig config, WebServer server, RoutingApplier tables, ControlPlaneLink link,
                      PredictionCache cache, ShadowMirror shadows, OutcomeReporter reporter, ReadWatchdog watchdog) {
        this.watchdog = watchdog;
        this.cache = cache;
        this.shadows = shadows;
        this.reporter = reporter;
        this.config = config;
        this.server = server;
        this.tables = tables;
        this.link = link;
    }

    public static DataPlane start(DataPlaneConfig config) {
        LocalStore store = new LocalStore(config.nodeDir());
        ControlPlaneApi api = new ControlPlaneApi(config.controlPlane());
        EngineConfig engines = new EngineConfig(config.engineThreads(), config.home().resolve("djl"));
        NodeLimits limits = config.limits();
        ModelPreparer preparer = new ModelPreparer(store, api, Engines.create(engines),
                ModelValidator.childProcess(limits.validation(), engines, config.nodeDir().resolve("validation")),
                limits.frameworks(), limits.prepareTimeout());
        removeTemporaryFiles(preparer, config);
        RoutingApplier tables = new RoutingApplier(config.nodeId(), store, preparer, config.batchWorkers());
        tables.restore();
        PredictionMetrics metrics = new PredictionMetrics();
        metrics.gauge("mm_routing_revision", "Routing revision this node serves.", () -> tables.current().revision());
        metrics.gauge("mm_models_served", "Models this node serves.", () -> tables.current().models().size());
        PredictionCache cache = Caches.create(cacheConfig(config), metrics::cacheEvent);
        OutcomeRecorder outcomes = new OutcomeRecorder();
        ShadowLedger ledger = new ShadowLedger();
        ShadowMirror shadows = new ShadowMirror(config.shadowQueue(), tables::current, ledger, metrics,
                Clock.systemUTC()).start();
        PredictionService predictions = new PredictionService(tables, metrics, cache, outcomes, shadows);
        ReadWatchdog watchdog = ReadWatchdog.start(limits.readTimeout());
        ControlPlaneLink[] link = new ControlPlaneLink[1];
        WebServer server = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(-1) // bodies are limited by Bodies, with a 413 that says so
                .routing(r -> DataPlaneRouting.routing(r, config.nodeId(), tables, predictions, metrics,
                        () -> link[0] != null && link[0].reachable(), config.maxBatchRows(), config.maxRequestBytes(),
                        limits.maxInflightBytes(), watchdog, config.echoRoute()))
                .build()
                .start();
        String url = config.advertisedUrl() != null ? config.advertisedUrl()
                : "http://" + config.host() + ":" + server.port();
        link[0] = new ControlPlaneLink(config.nodeId(), url, api, tables, config.heartbeatInterval());
        link[0].start();
        OutcomeReporter reporter = new OutcomeReporter(config.nodeId(), outcomes, ledger, tables::current,
                api::outcomes, Clock.systemUTC(), config.reportInterval()).start();
        tables.beforeSwitch(reporter::cut); // a window never spans two revisions
        return new DataPlane(config, server, tables, link[0], cache, shadows, reporter, watchdog);
    }

    /** What a killed node left half-written in its directory is removed before anything is read from it. */
    private static void removeTemporaryFiles(ModelPreparer preparer, DataPlaneConfig config) {
        try {
            preparer.removeTemporaryFiles();
        } catch (java.io.IOException e) {
            System.getLogger(DataPlane.class.getName()).log(System.Logger.Level.WARNING, "cannot remove temporary "
                    + "files under " + config.nodeDir() + ": " + e.getMessage());
        }
    }

    /** Redis when the config names one, else memory bounded by MM_CACHE_MAX_BYTES. */
    private static CacheConfig cacheConfig(DataPlaneConfig config) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("MM_REDIS_URL"); // the config already read it (a flag wins over the variable)
        if (config.redisUrl() != null) {
            env.put("MM_REDIS_URL", config.redisUrl());
        }
        return CacheConfig.fromEnv(env);
    }

    public int port() {
        return server.port();
    }

    public URI uri() {
        return URI.create("http://" + config.host() + ":" + server.port());
    }

    public String nodeId() {
        return config.nodeId();
    }

    /** The routing revision this node serves. */
    public long servingRevision() {
        return tables.current().revision();
    }

    /** Closes the current outcome window now (tests; the node does this every report interval). */
    public io.modelmesh.api.OutcomeReport reportNow() {
        return reporter.tick();
    }

    @Override
    public void close() {
        reporter.close();
        shadows.close();
        link.close();
        server.stop();
        watchdog.close();
        tables.close();
        cache.close();
    }
}
