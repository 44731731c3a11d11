package io.modelmesh.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.controlplane.auth.BootstrapToken;
import io.modelmesh.controlplane.auth.TokenDirectory;
import io.modelmesh.controlplane.auth.TokenService;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.controlplane.store.TokenRepository;
import io.modelmesh.server.auth.BearerGuard;
import io.modelmesh.server.auth.Guard;
import io.modelmesh.server.auth.RateLimiter;
import io.modelmesh.server.http.BrowserGuard;
import io.modelmesh.server.http.RouteInfo;
import io.modelmesh.controlplane.deploy.RoutingTables;
import io.modelmesh.controlplane.drift.DriftReferences;
import io.modelmesh.controlplane.drift.DriftService;
import io.modelmesh.controlplane.store.DriftRepository;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.controlplane.http.JsonIo;
import io.modelmesh.controlplane.monitoring.LatencyWindows;
import io.modelmesh.controlplane.monitoring.ShadowRecorder;
import io.modelmesh.controlplane.monitoring.ShadowReports;
import io.modelmesh.controlplane.traffic.AbService;
import io.modelmesh.controlplane.traffic.ChaosService;
import io.modelmesh.controlplane.traffic.ShadowService;
import io.modelmesh.controlplane.manifest.ManifestService;
import io.modelmesh.controlplane.metrics.ControlPlaneMetrics;
import io.modelmesh.metrics.Meters;
import io.modelmesh.controlplane.nodes.NodeRegistry;
import io.modelmesh.api.NodeState;
import io.modelmesh.controlplane.nodes.OutcomeSink;
import io.modelmesh.controlplane.cluster.EpochKeeper;
import io.modelmesh.controlplane.cluster.Housekeeping;
import io.modelmesh.controlplane.cluster.LeaderJobs;
import io.modelmesh.controlplane.cluster.Leadership;
import io.modelmesh.controlplane.nodes.AckSignal;
import io.modelmesh.controlplane.nodes.AckWaiter;
import io.modelmesh.controlplane.nodes.RevisionNotifier;
import io.modelmesh.controlplane.rollout.OutcomeStore;
import io.modelmesh.controlplane.rollout.SharedOutcomes;
import io.modelmesh.controlplane.rollout.RolloutController;
import io.modelmesh.controlplane.store.IdentityRepository;
import io.modelmesh.controlplane.store.LeaseRepository;
import io.modelmesh.controlplane.store.OutcomeRepository;
import io.modelmesh.controlplane.rollout.RolloutService;
import io.modelmesh.controlplane.rollout.RolloutStarter;
import io.modelmesh.controlplane.store.RolloutRepository;
import io.modelmesh.controlplane.nodes.RoutingPublisher;
import io.modelmesh.controlplane.registry.ArtifactStore;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.controlplane.registry.ModelRemoval;
import io.modelmesh.controlplane.registry.RegistryService;
import io.modelmesh.controlplane.store.ArtifactRepository;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.DatabaseHealth;
import io.modelmesh.controlplane.store.DeploymentRepository;
import io.modelmesh.controlplane.store.ModelRepository;
import io.modelmesh.controlplane.store.NodeRepository;
import io.modelmesh.controlplane.store.RemovalRepository;
import io.modelmesh.controlplane.store.ShadowComparisonRepository;
import io.modelmesh.controlplane.store.VersionRepository;
import io.modelmesh.controlplane.store.AliasRepository;
import io.modelmesh.controlplane.registry.AliasService;
import io.modelmesh.controlplane.registry.StageService;
import io.modelmesh.controlplane.registry.VersionRefs;
import io.modelmesh.controlplane.deploy.StageKeeper;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.validate.ModelValidator;
import io.modelmesh.server.io.ReadWatchdog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** The control plane's object graph, built once from its config, database and clock (constructor injection only). */
record Components(ControlPlaneConfig config, JsonIo json, ObjectMapper mapper, ControlPlaneMetrics metrics,
                  ArtifactStore artifacts, RegistryService registry, ModelCatalog catalog,
                  DeploymentService deployments, RoutingTables routing, NodeRegistry nodes,
                  RoutingPublisher publisher, DatabaseHealth health, Clock clock, List<OutcomeSink> outcomeSinks,
                  OutcomeStore outcomes, RolloutController rolloutController, RolloutService rollouts,
                  ShadowService shadows, AbService ab, ChaosService chaos, ShadowReports shadowReports,
                  ManifestService manifests, TokenDirectory tokenDirectory, TokenService tokens, Guard guard,
                  BrowserGuard browsers, List<RouteInfo> routes, ModelValidator validator, ReadWatchdog watchdog,
                  ModelRemoval removal, LatencyWindows latency, DriftService drift, Leadership leadership,
                  LeaderJobs leaderJobs, AliasService aliases, StageService stages) {

    /** The name of the lease whose holder runs the rollout controller and the clean-up jobs. */
    static final String CONTROLLER_LEASE = "controller";

    static Components create(ControlPlaneConfig config, Database db, Clock systemClock) {
        // PostgreSQL keeps microseconds: tick at that precision so what a POST answers equals what a GET reads later
        Clock clock = Clock.tick(systemClock, Duration.ofNanos(1_000));
        ObjectMapper mapper = Json.mapper();
        ControlPlaneMetrics metrics = new ControlPlaneMetrics(Meters.create());
        ArtifactStore artifacts;
        try {
            artifacts = ArtifactStore.local(config.artifactDir(), config.limits().maxStoreBytes(),
                    config.limits().minFreeBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the artifact directory under " + config.home(), e);
        }
        ModelRepository models = new ModelRepository(db.client(), mapper);
        VersionRepository versions = new VersionRepository(db.client(), mapper);
        ArtifactRepository artifactRows = new ArtifactRepository(db.client());
        DeploymentRepository deploymentRows = new DeploymentRepository(db.client(), mapper);
        NodeRepository nodeRows = new NodeRepository(db.client(), mapper);
        TokenRepository tokenRows = new TokenRepository(db.client());
        BootstrapToken.ADMIN.ensure(tokenRows, clock, config.home(), config.adminToken());
        BootstrapToken.JOIN.ensure(tokenRows, clock, config.home(), config.joinToken());
        TokenDirectory tokenDirectory = new TokenDirectory(tokenRows, nodeRows, clock, System::nanoTime);
        tokenDirectory.reload();
        Guard guard = new BearerGuard(tokenDirectory, Set.of(), new RateLimiter(System::nanoTime), null,
                " (mmctl finds the local stack's admin token in MM_HOME/admin-token; an admin creates others with "
                        + "'mmctl token create')");

        IdentityRepository identities = new IdentityRepository(db.client());
        EpochKeeper epochs = new EpochKeeper(identities, clock);
        epochs.ensure();
        AliasRepository aliasRows = new AliasRepository(db.client());
        RoutingTables routing = new RoutingTables(deploymentRows, epochs, aliasRows);
        AckSignal acks = new AckSignal();
        RoutingPublisher publisher = new RoutingPublisher(new RevisionNotifier(mapper, config.pushTimeout(),
                config.tls().clientContext()), new AckWaiter(nodeRows, acks, System::nanoTime), metrics,
                config.pushTimeout());
        NodeRegistry nodes = new NodeRegistry(nodeRows, routing, epochs, acks, clock, config.nodeDeadAfter(),
                tokenDirectory);
        DeploymentService deployments = new DeploymentService(db, deploymentRows, models, versions, routing, nodes,
                publisher, new VersionRefs(aliasRows), clock);
        deployments.addHook(new StageKeeper(versions));
        ModelValidator validator = ModelValidator.childProcess(config.limits().validation(),
                EngineConfig.defaults().withNativeCacheDir(config.home().resolve("djl")),
                config.home().resolve("validation"));
        DriftRepository driftRows = new DriftRepository(db.client(), mapper);
        DriftService drift = new DriftService(db, driftRows, versions, routing,
                model -> deployments.latest(model).map(DeploymentRecord::drift).orElseGet(DriftPolicy::defaults),
                clock);
        RegistryService registry = new RegistryService(db, models, versions, artifactRows, artifacts, validator,
                config.limits().frameworks(), config.maxUploadBytes(), deployments, metrics,
                new DriftReferences(driftRows), clock);
        ModelCatalog catalog = new ModelCatalog(models, versions);
        ShadowComparisonRepository comparisons = new ShadowComparisonRepository(db.client());
        ShadowRecorder shadowRecorder = new ShadowRecorder(db, comparisons, clock);
        deployments.addHook(shadowRecorder);

        RolloutRepository rolloutRows = new RolloutRepository(db.client(), mapper);
        OutcomeStore outcomes = new SharedOutcomes(db, new OutcomeRepository(db.client()), clock);
        deployments.addHook(new RolloutStarter(rolloutRows, outcomes));
        Leadership leadership = new Leadership(new LeaseRepository(db.client()), CONTROLLER_LEASE, instanceName(),
                config.leaseTtl(), clock);
        RolloutController rolloutController = new RolloutController(rolloutRows, deployments, outcomes, nodes::live,
                drift, leadership, clock, metrics::rollout);
        Housekeeping housekeeping = new Housekeeping(db, nodeRows, outcomes, leadership, clock);
        LeaderJobs leaderJobs = new LeaderJobs(leadership, config.leaseTtl().dividedBy(3))
                .add("node reaper", Duration.ofSeconds(30), housekeeping::reapNodes)
                .add("outcome retention", Duration.ofMinutes(1), housekeeping::pruneOutcomes);
        RolloutService rollouts = new RolloutService(deployments, rolloutRows, rolloutController);
        LatencyWindows latency = new LatencyWindows(clock);
        // every consumer of node outcome reports, in order: windows first, so the controller sees the report counted
        List<OutcomeSink> outcomeSinks = new CopyOnWriteArrayList<>(List.of(outcomes, rolloutController,
                shadowRecorder, latency, drift));

        metrics.stateGauges(() -> models.count(null), versions::countAll, routing::latestRevision,
                () -> nodeGauge(nodes.countByState()));
        metrics.analysisGauges(() -> outcomes.canaryErrorRates(routing.current()), () -> drift.snapshot(false),
                () -> drift.snapshot(true));
        ReadWatchdog watchdog = ReadWatchdog.start(config.limits().readTimeout());
        return new Components(config, new JsonIo(mapper, watchdog), mapper, metrics, artifacts, registry, catalog, deployments,
                routing, nodes, publisher, new DatabaseHealth(identities, leadership), clock, outcomeSinks, outcomes,
                rolloutController,
                rollouts, new ShadowService(deployments, catalog), new AbService(deployments, catalog),
                new ChaosService(deployments, catalog, clock), new ShadowReports(comparisons),
                new ManifestService(deployments, catalog), tokenDirectory,
                new TokenService(tokenRows, tokenDirectory, clock), guard,
                BrowserGuard.allowing(config.corsOrigins()), new CopyOnWriteArrayList<>(), validator, watchdog,
                new ModelRemoval(db, new RemovalRepository(), deploymentRows, models, artifacts, registry.storeLock()),
                latency, drift, leadership, leaderJobs, new AliasService(db, aliasRows, catalog, deployments, clock),
                new StageService(db, versions, catalog, deployments));
    }

    /** This process among the control planes of its cluster: unique per start, readable in logs and health. */
    private static String instanceName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return "cp-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@" + host + "/pid"
                + ProcessHandle.current().pid();
    }

    private static Map<List<String>, Double> nodeGauge(Map<NodeState, Long> counts) {
        Map<List<String>, Double> out = new HashMap<>();
        counts.forEach((state, n) -> out.put(List.of(state.name()), n.doubleValue()));
        return out;
    }
}
