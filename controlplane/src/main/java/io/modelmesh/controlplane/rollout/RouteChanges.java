package io.modelmesh.controlplane.rollout;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.controlplane.store.DeploymentRecord;

import java.util.Optional;
import java.util.function.BiConsumer;

/** How the controller changes a model's route: the deployments (the {@code DeploymentService}; memory in tests). */
public interface RouteChanges {
    Optional<DeploymentRecord> latest(String model);

    /**
     * Writes {@code change} as a new revision, running {@code first} in the same transaction right after the insert;
     * when {@code first} throws, nothing is written.
     */
    DeploymentRecord write(PlannedChange change, String createdBy, BiConsumer<DbExecute, DeploymentRecord> first);

    /** Tells the nodes and waits for their acknowledgements (a change made by hand, whose caller waits). */
    DeploymentStatus publish(DeploymentRecord record);

    /** Tells the nodes without waiting (the controller's own changes). */
    void publishInBackground(DeploymentRecord record);
}
