package io.modelmesh.controlplane.traffic;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbRequest;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.controlplane.registry.ModelNames;
import io.modelmesh.controlplane.store.DeploymentRecord;

import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** Sticky A/B splits ({@code POST /deployments/ab}): the model's traffic over weighted arms, keyed by a header. */
public final class AbService {
    private final DeploymentService deployments;
    private final ModelCatalog catalog;

    public AbService(DeploymentService deployments, ModelCatalog catalog) {
        this.deployments = deployments;
        this.catalog = catalog;
    }

    /**
     * Writes (and pushes) strategy ab, keeping the serving policy. The same split again writes nothing.
     *
     * @throws InvalidInputException naming each invalid field ({@code spec.ab.arms: weights must add up to 100 ...})
     * @throws ConflictException     when a canary of the model is running
     */
    public DeployOutcome start(AbRequest request, String user) {
        if (request == null || request.model() == null) {
            throw new InvalidInputException("send {\"model\": NAME, \"arms\": [{\"version\": \"X.Y.Z\", \"weight\": "
                    + "50}, ...], \"sticky_key\": HEADER (optional, default X-User-Id)}");
        }
        String model = ModelNames.require(request.model());
        catalog.model(model); // 404 when the model is not registered
        Optional<DeploymentRecord> latest = deployments.latest(model);
        latest.filter(r -> r.spec() == null || r.spec().strategy() != DeploymentSpec.Strategy.AB)
                .ifPresent(r -> CurrentState.stableVersion(r, "start an A/B split"));
        if (request.arms() != null && request.arms().contains(null)) {
            throw new InvalidInputException("spec.ab.arms[" + request.arms().indexOf(null) + "]: must be "
                    + "{\"version\": \"X.Y.Z\", \"weight\": 1..99}");
        }
        AbSpec ab = new AbSpec(request.stickyKey(), request.arms() == null ? null : request.arms().stream()
                .map(a -> new AbArm(CurrentState.canonical(deployments.resolveVersion(model, a.version())),
                        a.weight())).toList());
        DeploymentSpec spec = new DeploymentSpec(DeploymentSpec.Strategy.AB, null, null, null, ab,
                CurrentState.serving(latest), CurrentState.drift(latest));
        return deployments.apply(deployments.plan(model, spec, change(ab), "api", request.schemaChangeAllowed()),
                user);
    }

    /** "A/B 1.0.0 50% / 1.1.0 50% (sticky on X-User-Id)". */
    static String change(AbSpec ab) {
        return "A/B " + ab.arms().stream().filter(Objects::nonNull).map(a -> a.version() + " " + a.weight() + "%")
                .collect(Collectors.joining(" / ")) + " (sticky on "
                + (ab.stickyKey() == null ? AbSpec.DEFAULT_STICKY_KEY : ab.stickyKey()) + ")";
    }
}
