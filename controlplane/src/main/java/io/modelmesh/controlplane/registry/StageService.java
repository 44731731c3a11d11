package io.modelmesh.controlplane.registry;

import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.Stage;
import io.modelmesh.api.StageRequest;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.VersionRepository;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;

/**
 * Stages set by hand ({@code PUT /models/{model}/versions/{version}/stage}). A stage labels a version and never moves
 * traffic; rollouts move stages on their own ({@link io.modelmesh.controlplane.deploy.StageKeeper}). The one refusal:
 * archiving a version that serves live traffic (the stable version or an A/B arm), which would make the registry say
 * something the routing table contradicts.
 */
public final class StageService {
    private final Database db;
    private final VersionRepository versions;
    private final ModelCatalog catalog;
    private final DeploymentService deployments;

    public StageService(Database db, VersionRepository versions, ModelCatalog catalog, DeploymentService deployments) {
        this.db = db;
        this.versions = versions;
        this.catalog = catalog;
        this.deployments = deployments;
    }

    /**
     * Sets the stage of a version (named by version or alias) and returns the version.
     *
     * @throws ConflictException when archiving a version that serves live traffic
     */
    public ModelVersion set(String model, String versionRef, StageRequest request) {
        if (request == null || request.stage() == null) {
            throw new InvalidInputException("send {\"stage\": \"staging\" | \"production\" | \"archived\"}");
        }
        ModelVersion v = catalog.version(model, deployments.resolveVersion(model, versionRef));
        if (request.stage() == Stage.ARCHIVED) {
            deployments.latest(model).filter(d -> d.route().targets().stream().anyMatch(t -> t.version()
                    .equals(v.version()) && t.weight() > 0 && t.role() != RouteTarget.Role.SHADOW)).ifPresent(d -> {
                        throw new ConflictException("model '" + model + "' version " + v.version() + " serves live "
                                + "traffic (revision " + d.revision() + ": " + d.change() + "); move traffic to "
                                + "another version first (mmctl deploy " + model + " --version X.Y.Z)");
                    });
        }
        db.inTransaction(tx -> versions.setStage(tx, model, v.version(), request.stage()));
        return catalog.version(model, v.version());
    }
}
