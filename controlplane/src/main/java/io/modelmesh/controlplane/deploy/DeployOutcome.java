package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.DeploymentStatus;

/** @param created false when the model already routed all traffic to the version (nothing new was written) */
public record DeployOutcome(DeploymentStatus status, boolean created) {
}
