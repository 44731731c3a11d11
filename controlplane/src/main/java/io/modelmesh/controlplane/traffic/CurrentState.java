package io.modelmesh.controlplane.traffic;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.controlplane.store.DeploymentRecord;

import java.util.List;
import java.util.Optional;

/** What a model's latest revision serves, as the traffic commands need it (pure). */
final class CurrentState {
    private CurrentState() {
    }

    /**
     * The version serving the model's stable traffic: the route's STABLE target, else the spec's stable version.
     *
     * @param action what the caller is about to do, for messages ("start a shadow")
     * @throws ConflictException when the model is in an A/B split or a canary takes traffic: the action would end
     *                           them silently
     */
    static String stableVersion(DeploymentRecord latest, String action) {
        String model = latest.model();
        List<RouteTarget> targets = latest.route().targets();
        if (targets.isEmpty()) {
            throw new ConflictException("model '" + model + "' serves no traffic (revision " + latest.modelRevision() + ": "
                    + latest.change() + "); to " + action + ", first deploy a version (mmctl deploy " + model
                    + " --version X.Y.Z)");
        }
        DeploymentSpec spec = latest.spec();
        List<String> arms = targets.stream().filter(t -> t.role() == Role.ARM).map(RouteTarget::version).toList();
        if (!arms.isEmpty() || (spec != null && spec.strategy() == DeploymentSpec.Strategy.AB)) {
            throw new ConflictException("model '" + model + "' is in an A/B split (arms " + arms + "); to " + action
                    + ", first deploy one version to all traffic with mmctl deploy " + model + " --version X.Y.Z "
                    + "(POST /deployments {\"model\": \"" + model + "\", \"version\": \"X.Y.Z\"})");
        }
        Optional<RouteTarget> canary = targets.stream().filter(t -> t.role() == Role.CANARY && t.weight() > 0)
                .findFirst();
        if (canary.isPresent()) {
            throw new ConflictException("model '" + model + "' has a canary of " + canary.get().version()
                    + " running at " + canary.get().weight() + "%; to " + action + ", first promote it with "
                    + "mmctl promote " + model + " (POST /deployments/" + model + "/promote) or roll it back with "
                    + "mmctl rollback " + model + " (POST /deployments/" + model + "/rollback)");
        }
        return latest.stableVersion().orElse(null);
    }

    /** The batching and cache settings in force (kept by every traffic command). */
    static ServingPolicy serving(Optional<DeploymentRecord> latest) {
        return latest.map(DeploymentRecord::serving).orElse(ServingPolicy.defaults());
    }

    /** The drift settings in force (kept by every traffic command, like the serving policy). */
    static DriftPolicy drift(Optional<DeploymentRecord> latest) {
        return latest.map(DeploymentRecord::drift).orElse(DriftPolicy.defaults());
    }

    /** The user's version text in canonical form when it parses; as given otherwise (the spec rules report it). */
    static String canonical(String version) {
        try {
            return version == null ? null : io.modelmesh.controlplane.registry.SemVer.parse(version).toString();
        } catch (IllegalArgumentException e) {
            return version;
        }
    }
}
