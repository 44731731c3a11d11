package io.modelmesh.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The versioned value every data-plane node serves. Within one identity of the control plane (its cluster id and
 * epoch) revisions only grow; a node never moves to a lower one of the same identity, and switches only after every
 * artifact named here is loaded and warmed. A table of another cluster, or of a newer epoch of the same cluster, is
 * adopted whatever its revision (docs/reliability.md, "Revision epochs").
 *
 * @param revision  monotonic revision within the identity
 * @param createdAt when the control plane built it
 * @param models    model name to its route
 * @param clusterId the control plane's cluster id (its database's), or null in a table from before identities
 * @param epoch     the control plane's epoch within that cluster (0 in a table from before identities)
 */
public record RoutingTable(long revision, Instant createdAt, Map<String, ModelRoute> models, String clusterId,
                           long epoch) {
    public RoutingTable {
        models = Map.copyOf(models);
    }

    /** A table without an identity (tests, and tables saved before identities existed). */
    public RoutingTable(long revision, Instant createdAt, Map<String, ModelRoute> models) {
        this(revision, createdAt, models, null, 0);
    }

    public static RoutingTable empty() {
        return new RoutingTable(0, Instant.EPOCH, Map.of());
    }

    /** The same table under another identity. */
    public RoutingTable withIdentity(String cluster, long newEpoch) {
        return new RoutingTable(revision, createdAt, models, cluster, newEpoch);
    }

    /** Whether {@code cluster} and {@code otherEpoch} name this table's identity. */
    public boolean sameIdentity(String cluster, long otherEpoch) {
        return Objects.equals(clusterId, cluster) && epoch == otherEpoch;
    }
}
