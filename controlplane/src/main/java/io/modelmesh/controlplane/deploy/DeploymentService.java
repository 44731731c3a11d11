package io.modelmesh.controlplane.deploy;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.controlplane.errors.InvalidInputException;
import io.modelmesh.controlplane.errors.NotFoundException;
import io.modelmesh.controlplane.nodes.NodeRegistry;
import io.modelmesh.controlplane.nodes.PushReport;
import io.modelmesh.controlplane.nodes.RoutingPublisher;
import io.modelmesh.controlplane.registry.ModelNames;
import io.modelmesh.controlplane.registry.SemVer;
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
public final class DeploymentService {
    private static final Logger LOG = Logger.getLogger(DeploymentService.class.getName());

    private final Database db;
    private final DeploymentRepository deployments;
    private final ModelRepository models;
    private final VersionRepository versions;
    private final RoutingTables routing;
    private final NodeRegistry nodes;
    private final RoutingPublisher publisher;
    private final Clock clock;

    public DeploymentService(Database db, DeploymentRepository deployments, ModelRepository models,
                             VersionRepository versions, RoutingTables routing, NodeRegistry nodes,
                             RoutingPublisher publisher, Clock clock) {
        this.db = db;
        this.deployments = deployments;
        this.models = models;
        this.versions = versions;
        this.routing = routing;
        this.nodes = nodes;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * Routes all of the model's traffic to the version, pushes the new table to live nodes and waits for their acks.
     * Deploying the version that already takes all traffic writes nothing and re-pushes the current table.
     */
    public DeployOutcome deploy(DeployRequest request, String createdBy) {
        if (request == null || request.model() == null || request.version() == null) {
            throw new InvalidInputException("send {\"model\": NAME, \"version\": \"X.Y.Z\"}");
        }
        String model = ModelNames.require(request.model());
        String version = parseVersion(request.version());
        ModelVersion v = versions.find(model, version).orElseThrow(() -> missingVersion(model, version));
        Optional<DeploymentRecord> latest = deployments.latest(model);
        ServingPolicy policy;
        try {
            policy = request.policyOver(latest.map(d -> d.route().policy()).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        ModelRoute route = Routes.fullTraffic(v, policy);
        if (latest.isPresent() && latest.get().route().equals(route)) {
            return new DeployOutcome(publish(latest.get()), false);
        }
        DeploymentRecord record = db.inTransaction(tx -> deployments.insert(tx, model, route,
                Routes.fullTrafficChange(version, policy), clock.instant(), createdBy));
        return new DeployOutcome(publish(record), true);
    }

    /** Writes a full rollout of {@code v} inside the caller's transaction (registration of a new model). */
    public DeploymentRecord record(DbExecute tx, ModelVersion v, String createdBy) {
        return deployments.insert(tx, v.model(), Routes.fullTraffic(v), Routes.fullTrafficChange(v.version()),
                clock.instant(), createdBy);
    }

    /**
     * Pushes the current table (which includes {@code record}) to the live nodes and reports how far it got. Never
     * throws: the change is already stored, so a failed push is reported in the status' errors.
     */
    public DeploymentStatus publish(DeploymentRecord record) {
        List<NodeRecord> live;
        PushReport report;
        try {
            live = nodes.live();
            report = publisher.push(routing.current(), live);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "push of revision " + record.revision() + " failed", e);
            return status(record, 0, 0, List.of("push failed: " + e.getMessage()));
        }
        return status(record, report.acked(), report.total(), report.errors());
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

    private static DeploymentStatus status(DeploymentRecord r, int acked, int total, List<String> errors) {
        return new DeploymentStatus(r.revision(), r.model(), r.route(), r.createdAt(), r.createdBy(), r.change(), acked,
                total, errors);
    }

    private NotFoundException noDeployment(String model) {
        if (!models.exists(db.client().execute(), model)) {
            return new NotFoundException("model '" + model + "' is not registered");
        }
        return new NotFoundException("model '" + model + "' has no deployment yet; deploy a version with "
                + "POST /deployments {\"model\": \"" + model + "\", \"version\": \"X.Y.Z\"} (mmctl deploy)");
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
