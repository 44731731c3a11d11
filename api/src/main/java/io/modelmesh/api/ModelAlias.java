package io.modelmesh.api;

import java.time.Instant;

/**
 * A named pointer to one version of a model ({@code champion -> 1.1.0}), like MLflow's registered-model aliases.
 * Deploys, canaries, manifests and predictions may name a version as {@code @alias}.
 *
 * @param model     model name
 * @param alias     the alias (lower-case letters, digits, '-' and '_', starting with a letter; at most 64 characters)
 * @param version   the version it points to
 * @param updatedAt when it was set to this version
 * @param updatedBy who set it
 */
public record ModelAlias(String model, String alias, String version, Instant updatedAt, String updatedBy) {
}
