package io.modelmesh.controlplane.deploy;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.nodes.NodeRegistry;
import io.modelmesh.controlplane.nodes.PushReport;
import io.modelmesh.controlplane.nodes.RoutingPublisher;
import io.modelmesh.controlplane.registry.ModelNames;
import io.modelmesh.controlplane.registry.SemVer;
import io.modelmesh.controlplane.registry.VersionRefs;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.DeploymentRepository;
import io.modelmesh.controlplane.store.ModelRepository;
import io.modelmesh.controlplane.store.NodeRecord;
import io.modelmesh.controlplane.store.VersionRepository;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Deployments: writing a model's new route (a new routing revision), pushing the table, reporting who serves it. */
public final class DeploymentService implements io.modelmesh.controlplane.rollout.RouteChanges {
    private static final Logger LOG = Logger.getLogger(DeploymentService.class.getName());

    private final Database db;
    private final DeploymentRepository deployments;
    private final ModelRepository models;
    private final VersionRepository versions;
    private final RoutingTables routing;
    private final NodeRegistry nodes;
    private final RoutingPublisher publisher;
    private final VersionRefs refs;
    private final Clock clock;
    private final List<RevisionHook> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public DeploymentService(Database db, DeploymentRepository deployments, ModelRepository models,
                             VersionRepository versions, RoutingTables routing, NodeRegistry nodes,
                             RoutingPublisher publisher, VersionRefs refs, Clock clock) {
        this.db = db;
        this.deployments = deployments;
        this.models = models;
        this.versions = versions;
        this.routing = routing;
        this.nodes = nodes;
        this.publisher = publisher;
        this.refs = refs;
        this.clock = clock;
    }

    /**
     * Routes all of the model's traffic to the version, pushes the new table to live nodes and waits for their acks.
     * Deploying the version that already takes all traffic writes nothing and re-pushes the current table.
     */
    public DeployOutcome deploy(DeployRequest request, String createdBy) {
        return apply(planDeploy(request), createdBy);
    }

    /**
     * What {@link #deploy} would write, checked the same way (404 for an unknown model or version, 400 for bad
     * settings) but written nowhere and pushed to no node ({@code POST /deployments?dry_run=true},
     * {@code mmctl deploy --dry-run}): a status with id 0, the planned route and spec, and the change it would record,
     * or "nothing would change" when the latest revision already has that spec.
     */
    public DeploymentStatus preview(DeployRequest request, String createdBy) {
        PlannedChange change = planDeploy(request);
        Optional<DeploymentRecord> latest = deployments.latest(change.model());
        String what = latest.isPresent() && unchanged(latest.get(), change)
                ? "dry run: nothing would change (revision " + latest.get().revision() + " already does this)"
                : "dry run: " + change.change();
        return new DeploymentStatus(0, change.model(), change.route(), clock.instant(), createdBy, what, 0, 0,
                List.of(), change.spec());
    }

    private PlannedChange planDeploy(DeployRequest request) {
        if (request == null || request.model() == null || request.version() == null) {
            throw new InvalidInputException("send {\"model\": NAME, \"version\": \"X.Y.Z\"}");
        }
        String model = ModelNames.require(request.model());
        String version = parseVersion(refs.resolve(model, request.version()));
        Optional<DeploymentRecord> latest = deployments.latest(model);
        ServingPolicy policy;
        DriftPolicy drift;
        try {
            policy = request.policyOver(latest.map(d -> d.route().policy()).orElse(null));
            drift = request.driftOver(latest.map(DeploymentRecord::drift).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        DeploymentSpec spec = DeploymentSpec.full(version, policy, drift);
        return plan(model, spec, Routes.fullTrafficChange(version, policy, drift), "api");
    }

    /**
     * Refuses to route to a revision naming a version that was deleted since (its file may be gone too).
     *
     * @throws io.modelmesh.server.errors.ConflictException naming the version
     */
    public void requireRegisteredVersions(DeploymentRecord revision) {
        for (RouteTarget t : revision.route().targets()) {
            if (versions.find(revision.model(), t.version()).isEmpty()) {
                throw new io.modelmesh.server.errors.ConflictException("revision " + revision.modelRevision()
                        + " routes to version " + t.version() + " of model '" + revision.model() + "', which was "
                        + "deleted; roll back to another revision or deploy a registered version");
            }
        }
    }

    /**
     * Takes the model off the routing table: a revision whose route has no target, so every node stops serving it
     * (its versions stay registered; deploy one again, or roll back, to serve it). The serving settings are kept for
     * the next deploy.
     *
     * @throws NotFoundException when the model has no deployment
     * @throws io.modelmesh.server.errors.ConflictException when no version serves it already
     */
    public DeploymentStatus undeploy(String model, String createdBy) {
        ModelNames.require(model);
        DeploymentRecord latest = deployments.latest(model).orElseThrow(() -> noDeployment(model));
        if (latest.route().targets().isEmpty()) {
            throw new io.modelmesh.server.errors.ConflictException("model '" + model + "' serves no traffic already "
                    + "(revision " + latest.modelRevision() + ": " + latest.change() + ")");
        }
        ModelRoute off = new ModelRoute(model, List.of(), null, latest.serving());
        DeploymentRecord record = write(List.of(new PlannedChange(model, null, off,
                "undeploy: no version serves traffic", "api")), createdBy).getFirst();
        return publish(record);
    }

    /**
     * Checks {@code spec} and builds the route that realises it.
     *
     * @throws InvalidInputException listing every problem of the spec
     * @throws NotFoundException     when the model or a version it names is not registered
     */
    public PlannedChange plan(String model, DeploymentSpec spec, String change, String source) {
        return plan(model, spec, change, source, false);
    }

    /**
     * The same; unless {@code allowSchemaChange}, a canary, shadow or A/B arm whose input differs from the stable
     * version's is refused ({@link SchemaGuard}). Aliases the spec names are resolved first.
     *
     * @throws SchemaGuard.SchemaChangeException (409) showing the difference
     */
    public PlannedChange plan(String model, DeploymentSpec requested, String change, String source,
                              boolean allowSchemaChange) {
        ModelNames.require(model);
        DeploymentSpec spec = refs.resolve(model, requested);
        List<SpecProblem> problems = SpecRules.check(spec);
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems.stream().map(SpecProblem::toString)
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        ModelRoute route = RoutePlanner.plan(model, spec,
                v -> versions.find(model, v).orElseThrow(() -> missingVersion(model, v)));
        if (!allowSchemaChange) {
            SchemaGuard.check(model, spec, route, deployments.latest(model).flatMap(DeploymentRecord::stableVersion)
                    .orElse(null));
        }
        return new PlannedChange(model, spec, route, change, source);
    }

    /**
     * Writes the change unless the model's latest revision already has the same route and spec (then re-pushes the
     * current table), and pushes it to live nodes.
     */
    public DeployOutcome apply(PlannedChange change, String createdBy) {
        Optional<DeploymentRecord> latest = deployments.latest(change.model());
        if (latest.isPresent() && unchanged(latest.get(), change)) {
            return new DeployOutcome(publish(latest.get()), false);
        }
        DeploymentRecord record = write(List.of(change), createdBy).getFirst();
        return new DeployOutcome(publish(record), true);
    }

    /**
     * Whether writing {@code change} would change nothing. A revision that records its spec is unchanged when the spec
     * is the same, whatever the rollout controller or a chaos drill did to its weights and faults since: re-applying
     * the manifest of a canary that was rolled back does not start it again (change the manifest, or run
     * {@code mmctl canary}, to retry). Older revisions without a spec compare routes.
     */
    public static boolean unchanged(DeploymentRecord latest, PlannedChange change) {
        return latest.spec() != null ? latest.spec().equals(change.spec()) : latest.route().equals(change.route());
    }

    /**
     * Writes the changes as new revisions in one transaction (all or none), calling the revision hooks inside it.
     * Does not push: call {@link #publish} with the last record once committed.
     */
    public List<DeploymentRecord> write(List<PlannedChange> changes, String createdBy) {
        return db.inTransaction(tx -> {
            List<DeploymentRecord> written = new java.util.ArrayList<>();
            for (PlannedChange c : changes) {
                Optional<DeploymentRecord> previous = deployments.latest(tx, c.model());
                DeploymentRecord r = deployments.insert(tx, c.model(), c.route(), c.spec(), c.source(), c.change(),
                        clock.instant(), createdBy);
                for (RevisionHook hook : hooks) {
                    hook.written(tx, r, previous);
                }
                written.add(r);
            }
            return written;
        });
    }

    /**
     * Writes one change as a new revision, running {@code first} inside the same transaction right after the insert
     * and before the revision hooks (the rollout controller's conditional update of its rollout row). When
     * {@code first} throws, nothing is written.
     */
    @Override
    public DeploymentRecord write(PlannedChange c, String createdBy,
                                  java.util.function.BiConsumer<DbExecute, DeploymentRecord> first) {
        return db.inTransaction(tx -> {
            Optional<DeploymentRecord> previous = deployments.latest(tx, c.model());
            DeploymentRecord r = deployments.insert(tx, c.model(), c.route(), c.spec(), c.source(), c.change(),
                    clock.instant(), createdBy);
            first.accept(tx, r);
            for (RevisionHook hook : hooks) {
                hook.written(tx, r, previous);
            }
            return r;
        });
    }

    /** Adds a hook called inside every revision-writing transaction (wired once at start). */
    public void addHook(RevisionHook hook) {
        hooks.add(hook);
    }

    /** The model's route as routing table {@code revision} had it, if the model had one then. */
    public Optional<io.modelmesh.api.ModelRoute> routeAt(String model, long revision) {
        return deployments.atOrBefore(model, revision).map(DeploymentRecord::route);
    }

    /**
     * The spec with the aliases it names resolved to versions.
     *
     * @throws NotFoundException naming an alias the model does not have
     */
    public DeploymentSpec resolve(String model, DeploymentSpec spec) {
        return refs.resolve(model, spec);
    }

    /** The version {@code ref} names (a version, or an alias of the model resolved). */
    public String resolveVersion(String model, String ref) {
        return refs.resolve(model, ref);
    }

    /** The model's latest revision, if it has one. */
    @Override
    public Optional<DeploymentRecord> latest(String model) {
        return deployments.latest(model);
    }

    /**
     * One revision of a model by the model's own revision number (1, 2, 3...).
     *
     * @throws NotFoundException when the model has no such revision
     */
    public DeploymentRecord revision(String model, long modelRevision) {
        ModelNames.require(model);
        return deployments.revision(model, modelRevision).orElseThrow(() -> new NotFoundException("model '" + model
                + "' has no revision " + modelRevision + "; mmctl history " + model + " lists them (GET /deployments/"
                + model + "/history)"));
    }

    /** Writes a full rollout of {@code v} inside the caller's transaction (registration of a new model). */
    public DeploymentRecord record(DbExecute tx, ModelVersion v, String createdBy) {
        DeploymentRecord r = deployments.insert(tx, v.model(), Routes.fullTraffic(v),
                DeploymentSpec.full(v.version(), ServingPolicy.defaults()), "api",
                Routes.fullTrafficChange(v.version()), clock.instant(), createdBy);
        for (RevisionHook hook : hooks) {
            hook.written(tx, r, Optional.empty());
        }
        return r;
    }

    /**
     * Tells the live nodes that the table now includes {@code record} and waits (bounded by the push timeout) until
     * each acknowledged serving it, and reports how far it got. Never throws: the change is already stored, so a failed
     * publication is reported in the status' errors.
     */
    @Override
    public DeploymentStatus publish(DeploymentRecord record) {
        PushReport report;
        try {
            report = publisher.publish(record.revision(), routing.identity(), nodes.live());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "publishing revision " + record.revision() + " failed", e);
            return status(record, 0, 0, List.of("publishing failed: " + e.getMessage()));
        }
        return status(record, report.acked(), report.total(), report.errors());
    }

    /**
     * Tells the live nodes that the table now includes {@code record} without waiting for them (the rollout
     * controller's own changes). Never throws; nodes that miss the notice learn of the revision by heartbeat.
     */
    @Override
    public void publishInBackground(DeploymentRecord record) {
        try {
            publisher.publishInBackground(record.revision(), routing.identity(), nodes.live());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "notifying nodes of revision " + record.revision() + " failed; they learn of it "
                    + "from their heartbeats", e);
        }
    }

    /** The model's current deployment with the live nodes that serve it (its revision or later). */
    public DeploymentStatus current(String model) {
        ModelNames.require(model);
        DeploymentRecord record = deployments.latest(model).orElseThrow(() -> noDeployment(model));
        return withServingCounts(record, nodes.live());
    }

    /** The model's deployment changes, newest first. */
    public List<DeploymentStatus> history(String model) {
        ModelNames.require(model);
        List<DeploymentRecord> records = deployments.history(model);
        if (records.isEmpty()) {
            throw noDeployment(model);
        }
        List<NodeRecord> live = nodes.live();
        return records.stream().map(r -> withServingCounts(r, live)).toList();
    }

    private DeploymentStatus withServingCounts(DeploymentRecord record, List<NodeRecord> live) {
        int serving = (int) live.stream().filter(n -> n.servingRevision() >= record.revision()).count();
        return status(record, serving, live.size(), List.of());
    }

    /** The status of a record with the given push outcome (for services that write through {@link #write}). */
    public static DeploymentStatus status(DeploymentRecord r, int acked, int total, List<String> errors) {
        return new DeploymentStatus(r.modelRevision(), r.model(), r.route(), r.createdAt(), r.createdBy(), r.change(),
                acked, total, errors, r.spec(), r.revision(), r.source());
    }

    private NotFoundException noDeployment(String model) {
        if (!models.exists(db.client().execute(), model)) {
            return new NotFoundException("model '" + model + "' is not registered");
        }
        return new NotFoundException("model '" + model + "' has no deployment yet; deploy a version with "
                + "mmctl deploy " + model + " --version X.Y.Z (POST /deployments {\"model\": \"" + model
                + "\", \"version\": \"X.Y.Z\"})");
    }

    private NotFoundException missingVersion(String model, String version) {
        if (!models.exists(db.client().execute(), model)) {
            return new NotFoundException("model '" + model + "' is not registered");
        }
        List<String> known = versions.list(model).stream().map(ModelVersion::version).toList();
        return new NotFoundException("model '" + model + "' has no version " + version + " (registered: "
                + String.join(", ", known) + ")");
    }

    private static String parseVersion(String version) {
        try {
            return SemVer.parse(version).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
