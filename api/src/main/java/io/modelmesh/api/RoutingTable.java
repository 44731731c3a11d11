package io.modelmesh.api;

import java.time.Instant;
import java.util.Map;

/**
 * The versioned value the control plane pushes to every data-plane node. Revisions only grow; a node never moves to a
 * lower one and switches only after every artifact named here is loaded and warmed.
 *
 * @param revision  monotonic revision
 * @param createdAt when the control plane built it
 * @param models    model name to its route
 */
public record RoutingTable(long revision, Instant createdAt, Map<String, ModelRoute> models) {
    public RoutingTable {
        models = Map.copyOf(models);
    }

    public static RoutingTable empty() {
        return new RoutingTable(0, Instant.EPOCH, Map.of());
    }
}
