package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.RoutingTable;

/** Where the current routing table comes from (the deployments, seen from the nodes' side). */
public interface RoutingSource {

    /** The current table: each model's latest route at the latest revision. */
    RoutingTable current();

    /** The current table's revision (0 before any deployment), cheaper than building the table. */
    long latestRevision();
}
