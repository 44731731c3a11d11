package io.modelmesh.controlplane;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.http.AbEndpoints;
import io.modelmesh.controlplane.http.ArtifactEndpoints;
import io.modelmesh.controlplane.http.ChaosEndpoints;
import io.modelmesh.controlplane.http.DeploymentEndpoints;
import io.modelmesh.controlplane.http.DriftEndpoints;
import io.modelmesh.controlplane.http.ErrorHandlers;
import io.modelmesh.controlplane.http.HttpFilters;
import io.modelmesh.server.http.HttpMetrics;
import io.modelmesh.server.errors.JsonDirectHandler;
import io.modelmesh.controlplane.http.LatencyEndpoints;
import io.modelmesh.controlplane.http.ManifestEndpoints;
import io.modelmesh.controlplane.http.ModelEndpoints;
import io.modelmesh.controlplane.http.NodeEndpoints;
import io.modelmesh.controlplane.http.OpsEndpoints;
import io.modelmesh.controlplane.http.OutcomeEndpoints;
import io.modelmesh.controlplane.http.RolloutEndpoints;
import io.modelmesh.controlplane.http.ShadowEndpoints;
import io.modelmesh.controlplane.http.TokenEndpoints;
import io.modelmesh.server.http.ApiDocs;
import io.modelmesh.server.http.Connections;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.Listeners;
import io.modelmesh.server.http.RouteInfo;
import io.modelmesh.server.http.ScopedRoutes;
import io.modelmesh.controlplane.monitoring.LatencyReports;
import io.modelmesh.controlplane.rollout.RolloutController;
import io.modelmesh.controlplane.rollout.TrafficReports;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.server.tls.ServerTls;
import io.modelmesh.server.observe.Observability;
import io.modelmesh.server.observe.RequestObserver;

import java.io.IOException;
import java.net.URI;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running control plane: database (embedded unless configured), artifact store, HTTP API. Start with
 * {@link #start(ControlPlaneConfig)}; {@link #close()} stops everything it started.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlPlane.class.getName());
    /** The API's OpenAPI document, served at {@code GET /openapi} (and shown at {@code GET /docs}). */
    static final String OPENAPI = "/openapi/controlplane.yaml";

    private final ControlPlaneConfig config;
    private final WebServer server;
    private final Database database;
    private final Components components;
    private final AtomicBoolean closed = new AtomicBoolean();
    private RequestObserver observer;

    private ControlPlane(ControlPlaneConfig config, WebServer server, Database database, Components components) {
        this.config = config;
        this.server = server;
        this.database = database;
        this.components = components;
    }

    public static ControlPlane start(ControlPlaneConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * Starts the control plane and returns once it serves.
     *
     * @param clock the time source for registrations, deployments and node liveness (tests pass one they advance)
     * @throws IllegalStateException when the database or the server cannot start, saying why
     */
    public static ControlPlane start(ControlPlaneConfig config, Clock clock) {
        return start(config, clock, true);
    }

    /** The same, with the rollout controller's 1 s ticker off when tests call its tick by hand. */
    static ControlPlane start(ControlPlaneConfig config, Clock clock, boolean rolloutTicker) {
        return start(config, clock, rolloutTicker, Observability.defaults());
    }

    /** Starts the control plane; {@code observability} says what it logs and where its spans go. */
    public static ControlPlane start(ControlPlaneConfig config, Observability observability) {
        return start(config, Clock.systemUTC(), true, observability);
    }

    static ControlPlane start(ControlPlaneConfig config, Clock clock, boolean rolloutTicker,
                              Observability observability) {
        RequestObserver observer = RequestObserver.create(observability, "modelmesh-controlplane");
        // a wrong certificate or key fails the start here, before PostgreSQL starts, naming the file
        Tls tls = config.tls().serving() ? ServerTls.create(config.tls(), clock) : null;
        Database db = Database.open(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                config.home());
        Components components = null;
        try {
            components = Components.create(config, db, clock);
            components.registry().removeOrphanArtifacts();
            Components c = components;
            WebServerConfig.Builder builder = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .maxPayloadSize(-1) // uploads are limited (with a 413) while they stream, JSON bodies by JsonIo
                    .directHandlers(JsonDirectHandler.all()) // what fails before routing answers JSON too
                    .shutdownGracePeriod(Duration.ofSeconds(2))
                    // a connection that sends nothing (e.g. the rest of a body nobody reads after a 401) is closed
                    .idleConnectionTimeout(config.limits().readTimeout())
                    .idleConnectionPeriod(Connections.idlePeriod(config.limits().readTimeout()))
                    .routing(r -> routing(r.addFilter(observer.filter()), c));
            if (tls != null) {
                builder.tls(tls);
            }
            WebServer server = Listeners.start(builder, "control plane", config.host(), config.port());
            LOG.info("control plane serving on " + config.tls().scheme() + "://" + config.host() + ":" + server.port()
                    + " with " + db.description()
                    + ", artifacts in " + components.artifacts().directory());
            if (rolloutTicker) {
                components.leaderJobs().add("rollout controller", Duration.ofSeconds(1),
                        fence -> c.rolloutController().tick(c.clock().instant()));
            }
            components.leadership().step(); // a lone control plane leads from its first request on
            components.leaderJobs().start();
            components.tokenDirectory().start();
            ControlPlane controlPlane = new ControlPlane(config, server, db, components);
            controlPlane.observer = observer;
            return controlPlane;
        } catch (IOException | RuntimeException e) {
            if (components != null) {
                components.leaderJobs().close();
                components.tokenDirectory().close();
                components.rolloutController().close();
                components.publisher().close();
                components.validator().close();
                components.watchdog().close();
            }
            db.close();
            observer.close();
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("control plane did not start on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The whole HTTP surface: filters, endpoints and error mapping. Used by {@link #start} and by tests. */
    static void routing(HttpRouting.Builder routing, Components c) {
        routing.addFilter(HttpFilters.requestMetrics(new HttpMetrics(c.metrics().meters())));
        routing.addFilter(c.browsers().filter());
        ErrorHandlers.register(routing, c.mapper());
        ScopedRoutes routes = new ScopedRoutes(routing, c.guard(), c.routes());
        List<Endpoints> endpoints = List.of(
                new ModelEndpoints(c.registry(), c.removal(), c.catalog(), c.artifacts(), c.config().maxUploadBytes(),
                        c.watchdog(), c.json()),
                new ShadowEndpoints(c.shadows(), c.shadowReports(), c.json()),
                new AbEndpoints(c.ab(), c.json()),
                new io.modelmesh.controlplane.http.AliasEndpoints(c.aliases(), c.stages(), c.json()),
                new io.modelmesh.controlplane.http.PreviewEndpoints(c.catalog(), c.deployments(), c.json()),
                new ChaosEndpoints(c.chaos(), c.json()),
                new DeploymentEndpoints(c.deployments(), c.json()),
                new ManifestEndpoints(c.manifests(), c.json()),
                new NodeEndpoints(c.nodes(), c.routing(), c.tokenDirectory(), c.json()),
                new RolloutEndpoints(c.rollouts(), c.json()),
                new OutcomeEndpoints(c.outcomeSinks(), new TrafficReports(c.outcomes()), c.deployments(), c.routing(),
                        c.json(), c.clock()),
                new LatencyEndpoints(new LatencyReports(c.latency()), c.catalog(), c.routing(), c.json(), c.clock()),
                new DriftEndpoints(c.drift(), c.catalog(), c.json()),
                new ArtifactEndpoints(c.artifacts()),
                new TokenEndpoints(c.tokens(), c.json()),
                new OpsEndpoints(c.health(), c.metrics().meters(), c.json(), c.config().publicMetrics()),
                ApiDocs.of(ControlPlane.class, OPENAPI));
        endpoints.forEach(e -> e.routes(routes));
        routing.any((req, res) -> {
            throw new NotFoundException("no endpoint " + req.prologue().method().text() + " " + req.path().path()
                    + " (see docs/CONTRACTS.md for the control plane API)");
        });
    }

    /** The bound port (the ephemeral one when configured with 0). */
    public int port() {
        return server.port();
    }

    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create(config.tls().scheme() + "://" + host + ":" + port());
    }

    public ControlPlaneConfig config() {
        return config;
    }

    /** The database this control plane uses (tests count rows through it). */
    Database database() {
        return database;
    }

    /** Where artifacts are stored ({@code HOME/artifacts}). */
    public Path artifactDirectory() {
        return components.artifacts().directory();
    }

    /** Stops serving, pushes, the pool and (when embedded) PostgreSQL. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.stop();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stopping the HTTP server failed", e);
        }
        components.leaderJobs().close(); // gives the lease up: another control plane takes over at once
        components.tokenDirectory().close();
        components.rolloutController().close();
        components.publisher().close();
        components.validator().close();
        components.watchdog().close();
        database.close();
        observer.close();
    }

    /** Every route this control plane serves, with the access each requires (the route-walking tests read it). */
    public List<RouteInfo> routes() {
        return List.copyOf(components.routes());
    }

    /** Every credential this control plane accepts (tests reload it instead of waiting for its refresh). */
    io.modelmesh.controlplane.auth.TokenDirectory tokenDirectory() {
        return components.tokenDirectory();
    }

    /** The rollout controller (tests tick it by hand). */
    RolloutController rollouts() {
        return components.rolloutController();
    }
}
