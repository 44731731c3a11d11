package io.modelmesh.api;

/**
 * One version a model's traffic can reach.
 *
 * @param version   semantic version
 * @param framework wire name of the framework; chooses the inference engine on the node
 * @param sha256    artifact address; nodes download {@code GET /artifacts/{sha256}} and verify it
 * @param sizeBytes artifact size (for progress and disk checks)
 * @param weight    for STABLE, CANARY and ARM targets: share of routed traffic in percent (0..100; the weights of a
 *                  route's STABLE, CANARY and ARM targets add to 100). For a SHADOW target: the percentage of the
 *                  routed requests mirrored to it (1..100)
 * @param role      what the target is for
 * @param schema    inputs, outputs and feature names, so nodes bind named inputs without opening the registry
 * @param fault     injected fault ({@code mmctl chaos}), or null
 */
public record RouteTarget(String version, String framework, String sha256, long sizeBytes, int weight, Role role,
                          ModelSchema schema, Fault fault) {

    /** Roles a target plays. */
    public enum Role {
        /** The version that serves what the others do not take. */
        STABLE,
        /** A candidate taking a share of traffic under automatic analysis. */
        CANARY,
        /** Receives copies of requests; its answers are compared, never returned. */
        SHADOW,
        /** One arm of a sticky A/B split. */
        ARM
    }

    public RouteTarget(String version, String framework, String sha256, long sizeBytes, int weight, Role role,
                       ModelSchema schema) {
        this(version, framework, sha256, sizeBytes, weight, role, schema, null);
    }

    public RouteTarget withWeight(int w, Role r) {
        return new RouteTarget(version, framework, sha256, sizeBytes, w, r, schema, fault);
    }

    public RouteTarget withFault(Fault f) {
        return new RouteTarget(version, framework, sha256, sizeBytes, weight, role, schema, f);
    }

    /** Whether the target takes routed traffic (not a shadow, weight above 0). */
    public boolean routed() {
        return role != Role.SHADOW && weight > 0;
    }
}
