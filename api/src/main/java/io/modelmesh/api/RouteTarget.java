package io.modelmesh.api;

/**
 * One version a model's traffic can reach.
 *
 * @param version   semantic version
 * @param framework wire name of the framework; chooses the inference engine on the node
 * @param sha256    artifact address; nodes download {@code GET /artifacts/{sha256}} and verify it
 * @param sizeBytes artifact size (for progress and disk checks)
 * @param weight    share of traffic in percent (0..100); the weights of a route's STABLE and CANARY targets add to 100
 * @param role      what the target is for
 * @param schema    inputs, outputs and feature names, so nodes bind named inputs without opening the registry
 */
public record RouteTarget(String version, String framework, String sha256, long sizeBytes, int weight, Role role,
                          ModelSchema schema) {

    /** Roles a target plays. This issue uses STABLE; canary, shadow and A/B arms build on the same table. */
    public enum Role { STABLE, CANARY, SHADOW, ARM }
}
