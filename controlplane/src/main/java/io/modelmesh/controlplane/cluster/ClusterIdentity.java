package io.modelmesh.controlplane.cluster;

import java.util.Objects;

/**
 * Who a control plane is, as nodes see it: the cluster id of its database and the epoch within it. Routing revisions
 * are ordered only within one identity.
 *
 * @param clusterId a random UUID written by the first control plane on the database
 * @param epoch     1, then one more each time the database is found behind its nodes
 */
public record ClusterIdentity(String clusterId, long epoch) {
    public ClusterIdentity {
        Objects.requireNonNull(clusterId, "clusterId");
        if (epoch < 1) {
            throw new IllegalArgumentException("an epoch starts at 1, got " + epoch);
        }
    }

    /** Whether a node's report of its table's identity names this one. */
    public boolean is(String otherCluster, long otherEpoch) {
        return clusterId.equals(otherCluster) && epoch == otherEpoch;
    }

    @Override
    public String toString() {
        return clusterId + "/" + epoch;
    }
}
