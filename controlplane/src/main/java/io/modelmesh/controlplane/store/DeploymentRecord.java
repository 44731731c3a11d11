package io.modelmesh.controlplane.store;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;

import java.time.Instant;
import java.util.Optional;

/**
 * One row of {@code deployments}: a change of one model's route.
 *
 * @param revision      the global routing revision this change created (what nodes track)
 * @param spec          the desired state the route realises (null for rows written before specs were recorded)
 * @param source        where the change came from: {@code apply}, {@code api}, {@code controller} or {@code chaos}
 * @param modelRevision the model's own revision number (1, 2, 3...): what users see and pass ({@code history},
 *                      {@code rollback --to})
 */
public record DeploymentRecord(long revision, String model, ModelRoute route, String change, Instant createdAt,
                               String createdBy, DeploymentSpec spec, String source, long modelRevision) {
    public DeploymentRecord(long revision, String model, ModelRoute route, String change, Instant createdAt,
                            String createdBy) {
        this(revision, model, route, change, createdAt, createdBy, null, "api");
    }

    /** A record whose model revision is its routing revision (in-memory test doubles with one model). */
    public DeploymentRecord(long revision, String model, ModelRoute route, String change, Instant createdAt,
                            String createdBy, DeploymentSpec spec, String source) {
        this(revision, model, route, change, createdAt, createdBy, spec, source, revision);
    }

    /**
     * The version serving the model's stable traffic: the route's STABLE target, else the spec's stable version. The
     * route comes first: after a promotion the spec still names the old stable version, the route the new one.
     */
    public Optional<String> stableVersion() {
        return route.targets().stream().filter(t -> t.role() == RouteTarget.Role.STABLE).map(RouteTarget::version)
                .findFirst().or(() -> Optional.ofNullable(spec == null ? null : spec.stable()));
    }

    /** The batching and cache settings in force, which every traffic command keeps. */
    public ServingPolicy serving() {
        return spec != null ? spec.serving() : route.policy();
    }

    /** The drift settings in force, which every traffic command keeps too. */
    public DriftPolicy drift() {
        return spec != null ? spec.drift() : DriftPolicy.defaults();
    }
}
