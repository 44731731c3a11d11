package io.modelmesh.api;

/**
 * Answer to {@code POST /models}.
 *
 * @param version    the stored version
 * @param created    false when the same name, version and bytes were already registered (idempotent retry)
 * @param deployment the rollout started by registration (first version of a new model), or null
 */
public record RegistrationResult(ModelVersion version, boolean created, DeploymentStatus deployment) {
}
