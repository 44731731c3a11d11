package io.modelmesh.dataplane;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.modelmesh.dataplane.admission.Admissions;
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
import io.modelmesh.dataplane.reliability.Drain;
import io.modelmesh.dataplane.reliability.LastAnswers;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.server.observe.Observability;
import io.modelmesh.server.observe.RequestObserver;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.shadow.ShadowLedger;
import io.modelmesh.dataplane.shadow.ShadowMirror;
import io.modelmesh.dataplane.sync.ControlPlaneApi;
import io.modelmesh.dataplane.sync.PreviewModels;
import io.modelmesh.dataplane.inference.PreviewService;
import io.modelmesh.dataplane.sync.ControlPlaneLink;
import io.modelmesh.dataplane.sync.LinkView;
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
import io.modelmesh.server.errors.JsonDirectHandler;
import io.modelmesh.server.http.BrowserGuard;
import io.modelmesh.server.http.Connections;
import io.modelmesh.server.http.Listeners;
import io.modelmesh.server.http.RouteInfo;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;

/**
 * A running data-plane node: restores the routing table it served last (so it serves even when the control plane is
 * down), starts the HTTP server, then registers and heartbeats with the control plane; sends an outcome report
 * every report interval and runs shadow versions on a worker of their own. {@link #close()} drains it gracefully.
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = System.getLogger(DataPlane.class.getName());
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
    private final Drain drain;
    private final LastAnswers lastAnswers;
    private final PreviewModels previews;
    private final AtomicBoolean closed = new AtomicBoolean();
    private RequestObserver observer;

    private DataPlane(DataPlaneConfig config, WebServer server, RoutingApplier tables, ControlPlaneLink link,
                      PredictionCache cache, ShadowMirror shadows, FeatureSampler drift, OutcomeReporter reporter,
                      List<RouteInfo> routes, ReadWatchdog watchdog, Drain drain, LastAnswers lastAnswers,
                      PreviewModels previews) {
        this.previews = previews;
        this.drain = drain;
        this.lastAnswers = lastAnswers;
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
        return start(config, Observability.defaults());
    }

    /** Starts the node; {@code observability} says what it logs and where its spans go. */
    public static DataPlane start(DataPlaneConfig config, Observability observability) {
        RequestObserver observer = RequestObserver.create(observability, "modelmesh-" + config.nodeId());
        SamplerConfig sampling = SamplerConfig.fromEnv(System.getenv()); // MM_DRIFT_ROWS, MM_DRIFT_QUEUE
        // a wrong certificate or key fails the start here, naming the file
        Tls tls = config.tls().serving() ? ServerTls.create(config.tls(), Clock.systemUTC()) : null;
        LocalStore store = new LocalStore(config.nodeDir());
        NodeSession session = new NodeSession(System::currentTimeMillis);
        NodeCredentialStore credentials = new NodeCredentialStore(config.nodeDir(), Clock.systemUTC()).restore();
        NodeLimits limits = config.limits();
        ControlPlaneApi api = new ControlPlaneApi(config.controlPlane(), config.nodeId(), session,
                config.tls().clientContext(), limits.prepareTimeout());
        EngineConfig engines = new EngineConfig(config.engineThreads(), config.home().resolve("djl"));
        ModelPreparer preparer = new ModelPreparer(store, api, Engines.create(engines),
                ModelValidator.childProcess(limits.validation(), engines, config.nodeDir().resolve("validation")),
                limits.frameworks(), limits.prepareTimeout());
        removeTemporaryFiles(preparer, config);
        Admissions admissions = new Admissions(config.serving().admission(config.engineThreads(),
                config.batchWorkers()), System::nanoTime);
        PredictionMetrics metrics = new PredictionMetrics();
        RoutingApplier tables = new RoutingApplier(config.nodeId(), store, preparer, config.batchWorkers(),
                admissions, metrics);
        tables.restore();
        metrics.gauge("routing_revision", "Routing revision this node serves.", () -> tables.current().revision());
        metrics.gauge("active_deployments", "Model versions on this node's routing table (stable, canary, arms and "
                + "shadows).", () -> tables.current().models().values().stream()
                .mapToLong(m -> m.versions().size()).sum());
        admissionGauges(metrics, tables);
        PredictionCache cache = Caches.create(cacheConfig(config), metrics::cacheEvent);
        OutcomeRecorder outcomes = new OutcomeRecorder();
        ShadowLedger ledger = new ShadowLedger();
        ShadowMirror shadows = new ShadowMirror(config.shadowQueue(), tables::current, ledger, metrics,
                Clock.systemUTC()).start();
        FeatureSampler drift = new FeatureSampler(sampling).start();
        LastAnswers lastAnswers = new LastAnswers(LastAnswers.DEFAULT_MAX_BYTES);
        PredictionService predictions = new PredictionService(tables, metrics, cache, outcomes, shadows, drift,
                lastAnswers);
        PreviewModels previewModels = PreviewModels.of(api, preparer, PreviewModels.capacity(System.getenv()),
                limits.prepareTimeout());
        PreviewService previews = new PreviewService(tables::current, previewModels,
                PreviewService.DEFAULT_CONCURRENCY);
        Drain drain = new Drain();
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
                .directHandlers(JsonDirectHandler.all()) // what fails before routing answers JSON too
                .shutdownHook(false) // Main's hook drains first; Helidon's own would stop the server under requests
                // a connection that sends nothing (e.g. the rest of a body nobody reads after a 401) is closed
                .idleConnectionTimeout(limits.readTimeout())
                .idleConnectionPeriod(Connections.idlePeriod(limits.readTimeout()))
                .routing(r -> DataPlaneRouting.routing(r.addFilter(observer.filter()), config.nodeId(), tables,
                        predictions, previews, metrics, linkView(link, api), config.maxBatchRows(),
                        config.maxRequestBytes(),
                        limits.maxInflightBytes(), watchdog, config.echoRoute(), new NodeAccess(guard, catalog,
                                session, BrowserGuard.allowing(config.corsOrigins()), config.publicMetrics()),
                        drain));
        if (tls != null) {
            builder.tls(tls);
        }
        WebServer server = Listeners.start(builder, "node", config.host(), config.port());
        String url = config.advertisedUrl() != null ? config.advertisedUrl()
                : config.tls().scheme() + "://" + config.host() + ":" + server.port();
        OutcomeReporter reporter = new OutcomeReporter(config.nodeId(), outcomes, ledger, drift::drain,
                tables::current, report -> {
                    try {
                        api.outcomes(report);
                    } catch (ControlPlaneApi.RefusedException e) {
                        throw new OutcomeReporter.Refused(e.getMessage());
                    }
                }, Clock.systemUTC(), config.reportInterval());
        tables.beforeSwitch(reporter::cut); // a window never spans two revisions
        link[0] = new ControlPlaneLink(config.nodeId(), url, api, tables, config.heartbeatInterval(), session,
                credentials, () -> joinToken(config), reporter::lagMillis);
        link[0].start();
        reporter.start();
        DataPlane node = new DataPlane(config, server, tables, link[0], cache, shadows, drift, reporter, catalog,
                watchdog, drain, lastAnswers, previewModels);
        node.observer = observer;
        return node;
    }

    /** Per served version: requests past its admission gate, and waiting for a turn (read at scrape time). */
    private static void admissionGauges(PredictionMetrics metrics, RoutingApplier tables) {
        metrics.gauge("admission_running", "Requests of a version past its admission gate (running or batched).",
                () -> perVersion(tables, v -> v.admission().gate().running()), "model", "version");
        metrics.gauge("admission_waiting", "Requests of a version waiting for a turn at its admission gate.",
                () -> perVersion(tables, v -> v.admission().gate().waiting()), "model", "version");
    }

    private static Map<List<String>, Double> perVersion(RoutingApplier tables,
                                                        java.util.function.ToIntFunction<ServedVersion> value) {
        Map<List<String>, Double> out = new HashMap<>();
        for (ServedModel m : tables.current().models().values()) {
            for (ServedVersion v : m.versions().values()) {
                out.put(List.of(v.model(), v.version()), (double) value.applyAsInt(v));
            }
        }
        return out;
    }

    /** The link as the node's endpoints see it, before it exists (it starts once the server's port is known). */
    private static LinkView linkView(ControlPlaneLink[] link, ControlPlaneApi api) {
        return new LinkView() {
            @Override
            public boolean reachable() {
                return link[0] != null && link[0].reachable();
            }

            @Override
            public URI controlPlane() {
                return api.base();
            }

            @Override
            public void noticed(io.modelmesh.api.RevisionNotice notice) {
                if (link[0] != null) {
                    link[0].noticed(notice);
                }
            }
        };
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

    /** Requests in flight now (predictions, OIP model calls, echo). */
    public int inFlight() {
        return drain.inFlight();
    }

    /** Whether the node is stopping: readiness is false and new requests are refused. */
    public boolean draining() {
        return drain.draining();
    }

    /**
     * Stops gracefully: readiness turns false and new requests are refused (503 {@code shutting_down}, Retry-After) at
     * once; the requests in flight finish, for at most the drain timeout; then the node stops heartbeating and
     * reporting, and its server, models and cache close. Idempotent; a second call returns at once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        drain.start();
        Duration timeout = config.serving().drainTimeout();
        try {
            if (!drain.await(timeout)) {
                LOG.log(Level.WARNING, "node {0}: {1} requests still in flight after the drain timeout ({2} ms); "
                        + "stopping anyway", config.nodeId(), drain.inFlight(), timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.WARNING, "node {0}: drain interrupted; stopping now", config.nodeId());
        }
        reporter.close();
        shadows.close();
        drift.close();
        link.close();
        server.stop();
        watchdog.close();
        tables.close();
        previews.close();
        cache.close();
        lastAnswers.close();
        observer.close();
    }
}
