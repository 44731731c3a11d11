package io.modelmesh.controlplane.traffic;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.api.ShadowSpec;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.controlplane.registry.ModelNames;
import io.modelmesh.controlplane.store.DeploymentRecord;

/**
 * Shadows: a version that receives copies of a share of a model's requests next to its stable version, whose answers
 * nodes compare and never return ({@code POST /deployments/shadow}, {@code DELETE /deployments/{model}/shadow}).
 */
public final class ShadowService {
    private final DeploymentService deployments;
    private final ModelCatalog catalog;

    public ShadowService(DeploymentService deployments, ModelCatalog catalog) {
        this.deployments = deployments;
        this.catalog = catalog;
    }

    /**
     * Writes (and pushes) strategy shadow: the model's stable version keeps all traffic, {@code version} gets copies.
     * Starting the shadow that already runs writes nothing.
     *
     * @throws InvalidInputException when the request or the resulting spec is invalid (the field is named)
     * @throws ConflictException     when the model has no deployment, is in an A/B split or runs a canary
     */
    public DeployOutcome start(ShadowRequest request, String user) {
        if (request == null || request.model() == null || request.version() == null) {
            throw new InvalidInputException("send {\"model\": NAME, \"version\": \"X.Y.Z\", \"percent\": 1..100 "
                    + "(optional, default 100)}");
        }
        String model = ModelNames.require(request.model());
        DeploymentRecord latest = latest(model, "start a shadow");
        String stable = CurrentState.stableVersion(latest, "start a shadow");
        String version = deployments.resolveVersion(model, request.version());
        ShadowSpec shadow = new ShadowSpec(CurrentState.canonical(version),
                request.percent() == null ? 100 : request.percent()); // explicit, so "percent 100" is the same spec
        DeploymentSpec spec = new DeploymentSpec(DeploymentSpec.Strategy.SHADOW, stable, null, shadow, null,
                CurrentState.serving(java.util.Optional.of(latest)), latest.drift());
        return deployments.apply(deployments.plan(model, spec, startChange(shadow, stable), "api",
                request.schemaChangeAllowed()), user);
    }

    /**
     * Goes back to strategy full on the stable version.
     *
     * @throws ConflictException when the model runs no shadow
     */
    public DeployOutcome stop(String model, String user) {
        ModelNames.require(model);
        DeploymentRecord latest = latest(model, "stop a shadow");
        DeploymentSpec spec = latest.spec();
        if (spec == null || spec.strategy() != DeploymentSpec.Strategy.SHADOW || spec.shadow() == null) {
            throw new ConflictException("model '" + model + "' runs no shadow (" + (spec == null ? "no strategy"
                    : "strategy " + spec.strategy().wireName()) + " at revision " + latest.modelRevision()
                    + "); start one with mmctl shadow " + model + " --version X.Y.Z (POST /deployments/shadow)");
        }
        DeploymentSpec full = DeploymentSpec.full(spec.stable(), spec.serving(), spec.drift());
        return deployments.apply(deployments.plan(model, full, "shadow " + spec.shadow().version() + " stopped",
                "api"), user);
    }

    /** "shadow 1.1.0 (100% of requests mirrored) next to 1.0.0". */
    static String startChange(ShadowSpec shadow, String stable) {
        return "shadow " + shadow.version() + " (" + shadow.percentOrDefault() + "% of requests mirrored) next to "
                + stable;
    }

    private DeploymentRecord latest(String model, String action) {
        catalog.model(model); // 404 when the model is not registered
        return deployments.latest(model).orElseThrow(() -> new ConflictException("model '" + model + "' has no "
                + "deployment to " + action + " next to; deploy its stable version first with mmctl deploy " + model
                + " --version X.Y.Z (POST /deployments {\"model\": \"" + model + "\", \"version\": \"X.Y.Z\"})"));
    }
}
