package io.modelmesh.api;

/**
 * Answer to {@code POST /models}.
 *
 * @param version    the stored version
 * @param created    false when the same name, version and bytes were already registered (idempotent retry)
 * @param deployment the rollout started by registration (first version of a new model), or null
 * @param featuresFrom the version whose feature names this one took (its artifact names none, none were given, and
 *                   the previous version's fit its input width), or null
 * @param updated    what a registration of already registered bytes changed ({@code features}, {@code metadata});
 *                   empty when it changed nothing
 */
public record RegistrationResult(ModelVersion version, boolean created, DeploymentStatus deployment,
                                 String featuresFrom, java.util.List<String> updated) {
    public RegistrationResult {
        updated = updated == null ? java.util.List.of() : java.util.List.copyOf(updated);
    }

    public RegistrationResult(ModelVersion version, boolean created, DeploymentStatus deployment) {
        this(version, created, deployment, null, null);
    }
}
