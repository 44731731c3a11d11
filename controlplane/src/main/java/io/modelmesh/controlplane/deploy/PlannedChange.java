package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelRoute;

/**
 * A change of one model, planned but not written.
 *
 * @param model  the model
 * @param spec   the desired state the route realises
 * @param route  the route to write
 * @param change the one-line history entry ("canary 1.1.0 at 5%")
 * @param source {@code apply}, {@code api} or {@code controller}
 */
public record PlannedChange(String model, DeploymentSpec spec, ModelRoute route, String change, String source) {
}
