package io.modelmesh.dataplane.routing;

import io.modelmesh.api.RoutingTable;

import java.util.Map;

/**
 * The routing table a node serves, with every version it names loaded. Immutable; swapped whole.
 *
 * @param table  what is served: the pushed revision, except that a model the node could not prepare keeps the route it
 *               had (or is absent when it had none)
 * @param models the loaded models of {@code table}
 * @param failed models of the revision the node could not prepare, with the reason
 */
public record ServingTable(RoutingTable table, Map<String, ServedModel> models, Map<String, String> failed) {
    public ServingTable {
        models = Map.copyOf(models);
        failed = Map.copyOf(failed);
    }

    public ServingTable(RoutingTable table, Map<String, ServedModel> models) {
        this(table, models, Map.of());
    }

    public static ServingTable empty() {
        return new ServingTable(RoutingTable.empty(), Map.of());
    }

    public long revision() {
        return table.revision();
    }
}
