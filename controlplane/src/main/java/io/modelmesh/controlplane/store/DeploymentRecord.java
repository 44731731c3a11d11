package io.modelmesh.controlplane.store;

import io.modelmesh.api.ModelRoute;

import java.time.Instant;

/**
 * One row of {@code deployments}: a change of one model's route.
 *
 * @param revision the global routing revision this change created
 */
public record DeploymentRecord(long revision, String model, ModelRoute route, String change, Instant createdAt,
                               String createdBy) {
}
