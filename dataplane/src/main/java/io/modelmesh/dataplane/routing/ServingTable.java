package io.modelmesh.dataplane.routing;

import io.modelmesh.api.RoutingTable;

import java.util.Map;

/** The routing table a node serves, with every version it names loaded. Immutable; swapped whole. */
public record ServingTable(RoutingTable table, Map<String, ServedModel> models) {
    public ServingTable {
        models = Map.copyOf(models);
    }

    public static ServingTable empty() {
        return new ServingTable(RoutingTable.empty(), Map.of());
    }

    public long revision() {
        return table.revision();
    }
}
