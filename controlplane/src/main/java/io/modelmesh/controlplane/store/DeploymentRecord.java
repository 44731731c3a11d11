package io.modelmesh.controlplane.store;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelRoute;

import java.time.Instant;

/**
 * One row of {@code deployments}: a change of one model's route.
 *
 * @param revision the global routing revision this change created
 * @param spec     the desired state the route realises (null for rows written before specs were recorded)
 * @param source   where the change came from: {@code apply}, {@code api} or {@code controller}
 */
public record DeploymentRecord(long revision, String model, ModelRoute route, String change, Instant createdAt,
                               String createdBy, DeploymentSpec spec, String source) {
    public DeploymentRecord(long revision, String model, ModelRoute route, String change, Instant createdAt,
                            String createdBy) {
        this(revision, model, route, change, createdAt, createdBy, null, "api");
    }
}
