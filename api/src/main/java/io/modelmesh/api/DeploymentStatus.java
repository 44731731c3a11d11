package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * A deployment revision and how far it has reached.
 *
 * @param id              the model's own revision number (1, 2, 3... for each model): what {@code history} lists and
 *                        {@code rollback --to} takes
 * @param model           model name
 * @param route           the model's route at this revision
 * @param createdAt       when the revision was written
 * @param createdBy       who wrote it
 * @param change          one-line description of the change ("deploy 1.2.0 at 100%")
 * @param nodesAcked      live nodes that acknowledged serving this revision (or a later one)
 * @param nodesTotal      live nodes the revision was pushed to
 * @param errors          per-node failures (node id: reason), empty when all acknowledged
 * @param spec            the desired state this revision realises (null for revisions written before manifests)
 * @param routingRevision the cluster-wide routing-table revision this revision created, which nodes report serving
 *                        ({@code serving_revision}); 0 from a control plane that predates it
 * @param source          where the change came from: {@code apply}, {@code api}, {@code controller} or {@code chaos}
 */
public record DeploymentStatus(long id, String model, ModelRoute route, Instant createdAt, String createdBy,
                               String change, int nodesAcked, int nodesTotal, List<String> errors,
                               DeploymentSpec spec, long routingRevision, String source) {
    public DeploymentStatus {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public DeploymentStatus(long id, String model, ModelRoute route, Instant createdAt, String createdBy,
                            String change, int nodesAcked, int nodesTotal, List<String> errors,
                            DeploymentSpec spec) {
        this(id, model, route, createdAt, createdBy, change, nodesAcked, nodesTotal, errors, spec, 0, null);
    }

    /** The routing revision a node must serve to include this revision ({@code id} from an older control plane). */
    public long servedFrom() {
        return routingRevision > 0 ? routingRevision : id;
    }

    public DeploymentStatus(long id, String model, ModelRoute route, Instant createdAt, String createdBy,
                            String change, int nodesAcked, int nodesTotal, List<String> errors) {
        this(id, model, route, createdAt, createdBy, change, nodesAcked, nodesTotal, errors, null);
    }
}
