package io.modelmesh.dataplane;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.modelmesh.dataplane.cache.CacheConfig;
import io.modelmesh.dataplane.cache.Caches;
import io.modelmesh.dataplane.cache.PredictionCache;
import io.modelmesh.dataplane.http.DataPlaneRouting;
import io.modelmesh.dataplane.http.NodeAccess;
import io.modelmesh.dataplane.drift.FeatureSampler;
import io.modelmesh.dataplane.drift.SamplerConfig;
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
import io.modelmesh.server.tls.ServerTls;
import io.modelmesh.engine.validate.ModelValidator;
import io.modelmesh.server.io.ReadWatchdog;

import io.modelmesh.api.Scope;
import io.modelmesh.dataplane.auth.NodeCredentialStore;
import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.server.auth.BearerGuard;
import io.modelmesh.server.auth.Guard;
import io.modelmesh.server.auth.Principal;
import io.modelmesh.server.auth.RateLimiter;
import io.modelmesh.server.http.BrowserGuard;
import io.modelmesh.server.http.Connections;
import io.modelmesh.server.http.RouteInfo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final FeatureSampler drift;
    private final OutcomeReporter reporter;
    private final List<RouteInfo> routes;
    private final ReadWatchdog watchdog;

    private DataPlane(DataPlaneConfig config, WebServer server, RoutingApplier tables, ControlPlaneLink link,
                      PredictionCache cache, ShadowMirror shadows, FeatureSampler drift, OutcomeReporter reporter,
                      List<RouteInfo> routes, ReadWatchdog watchdog) {
        this.routes = routes;
        this.watchdog = watchdog;
        this.cache = cache;
        this.shadows = shadows;
        this.drift = drift;
        this.reporter = reporter;
        this.config = config;
        this.server = server;
        this.tables = tables;
        this.link = link;
    }

    public static DataPlane start(DataPlaneConfig config) {
        SamplerConfig sampling = SamplerConfig.fromEnv(System.getenv()); // MM_DRIFT_ROWS, MM_DRIFT_QUEUE
        // a wrong certificate or key fails the start here, naming the file
        Tls tls = config.tls().serving() ? ServerTls.create(config.tls(), Clock.systemUTC()) : null;
        LocalStore store = new LocalStore(config.nodeDir());
        NodeSession session = new NodeSession(System::currentTimeMillis);
        NodeCredentialStore credentials = new NodeCredentialStore(config.nodeDir(), Clock.systemUTC()).restore();
        ControlPlaneApi api = new ControlPlaneApi(config.controlPlane(), config.nodeId(), session,
                config.tls().clientContext());
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
        FeatureSampler drift = new FeatureSampler(sampling).start();
        PredictionService predictions = new PredictionService(tables, metrics, cache, outcomes, shadows, drift);
        ReadWatchdog watchdog = ReadWatchdog.start(limits.readTimeout());
        ControlPlaneLink[] link = new ControlPlaneLink[1];
        Guard guard = new BearerGuard(credentials, config.anonymousPredict() ? Set.of(Scope.PREDICT) : Set.of(),
                new RateLimiter(System::nanoTime), (req, access) -> Principal.controlPlane(),
                " (an admin creates prediction tokens with 'mmctl token create NAME --scope predict')");
        List<RouteInfo> catalog = new CopyOnWriteArrayList<>();
        WebServerConfig.Builder builder = WebServer.builder()
                .host(config.host())
                .port(config.port())
                .maxPayloadSize(-1) // bodies are limited by Bodies, with a 413 that says so
                // a connection that sends nothing (e.g. the rest of a body nobody reads after a 401) is closed
                .idleConnectionTimeout(limits.readTimeout())
                .idleConnectionPeriod(Connections.idlePeriod(limits.readTimeout()))
                .routing(r -> DataPlaneRouting.routing(r, config.nodeId(), tables, predictions, metrics,
                        () -> link[0] != null && link[0].reachable(), config.maxBatchRows(), config.maxRequestBytes(),
                        limits.maxInflightBytes(), watchdog, config.echoRoute(), new NodeAccess(guard, catalog,
                                session, BrowserGuard.allowing(config.corsOrigins()), config.publicMetrics())));
        if (tls != null) {
            builder.tls(tls);
        }
        WebServer server = builder.build().start();
        String url = config.advertisedUrl() != null ? config.advertisedUrl()
                : config.tls().scheme() + "://" + config.host() + ":" + server.port();
        link[0] = new ControlPlaneLink(config.nodeId(), url, api, tables, config.heartbeatInterval(), session,
                credentials, () -> joinToken(config));
        link[0].start();
        OutcomeReporter reporter = new OutcomeReporter(config.nodeId(), outcomes, ledger, drift::drain,
                tables::current, api::outcomes, Clock.systemUTC(), config.reportInterval()).start();
        tables.beforeSwitch(reporter::cut); // a window never spans two revisions
        return new DataPlane(config, server, tables, link[0], cache, shadows, drift, reporter, catalog, watchdog);
    }

    /** The configured join token, else the join-token file's content when it exists (read at each join). */
    private static String joinToken(DataPlaneConfig config) {
        if (config.joinToken() != null) {
            return config.joinToken();
        }
        try {
            String t = Files.readString(config.joinTokenFile(), StandardCharsets.US_ASCII).trim();
            return t.isEmpty() ? null : t;
        } catch (IOException e) {
            return null;
        }
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

    /** Every route this node serves, with the access each requires (the route-walking tests read it). */
    public List<RouteInfo> routes() {
        return List.copyOf(routes);
    }

    public int port() {
        return server.port();
    }

    public URI uri() {
        return URI.create(config.tls().scheme() + "://" + config.host() + ":" + server.port());
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
        drift.close();
        link.close();
        server.stop();
        watchdog.close();
        tables.close();
        cache.close();
    }
}
