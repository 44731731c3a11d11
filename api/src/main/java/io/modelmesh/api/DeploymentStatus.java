package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * A deployment revision and how far it has reached.
 *
 * @param id              revision id of this model's deployment (also the routing-table revision it created)
 * @param model           model name
 * @param route           the model's route at this revision
 * @param createdAt       when the revision was written
 * @param createdBy       who wrote it
 * @param change          one-line description of the change ("deploy 1.2.0 at 100%")
 * @param nodesAcked      live nodes that acknowledged serving this revision (or a later one)
 * @param nodesTotal      live nodes the revision was pushed to
 * @param errors          per-node failures (node id: reason), empty when all acknowledged
 * @param spec            the desired state this revision realises (null for revisions written before manifests)
 */
public record DeploymentStatus(long id, String model, ModelRoute route, Instant createdAt, String createdBy,
                               String change, int nodesAcked, int nodesTotal, List<String> errors,
                               DeploymentSpec spec) {
    public DeploymentStatus {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public DeploymentStatus(long id, String model, ModelRoute route, Instant createdAt, String createdBy,
                            String change, int nodesAcked, int nodesTotal, List<String> errors) {
        this(id, model, route, createdAt, createdBy, change, nodesAcked, nodesTotal, errors, null);
    }
}
