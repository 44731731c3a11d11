package io.modelmesh.controlplane.deploy;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.controlplane.store.DeploymentRecord;

import java.util.Optional;

/**
 * Called inside the transaction that writes a deployment revision, so state kept beside revisions (rollouts) changes
 * atomically with them. Throwing rolls the whole write back.
 */
public interface RevisionHook {
    /**
     * @param tx       the writing transaction
     * @param written  the new revision
     * @param previous the model's revision before it, if any
     */
    void written(DbExecute tx, DeploymentRecord written, Optional<DeploymentRecord> previous);
}
