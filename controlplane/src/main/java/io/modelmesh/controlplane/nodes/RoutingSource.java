package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.RoutingTable;
import io.modelmesh.controlplane.cluster.ClusterIdentity;

/** Where the current routing table comes from (the deployments, seen from the nodes' side). */
public interface RoutingSource {

    /** The current table: each model's latest route at the latest revision, under the control plane's identity. */
    RoutingTable current();

    /** The current table's revision (0 before any deployment), cheaper than building the table. */
    long latestRevision();

    /** The control plane's cluster id and epoch. */
    ClusterIdentity identity();
}
