package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The model versions a node may report: those on the current routing table, or on the table at the revision the node
 * says it serves (a node reports the window of a revision it just left). Looks each model's older route up at most once.
 */
public final class KnownVersions {
    private final RoutingTable current;
    private final BiFunction<String, Long, Optional<ModelRoute>> routeAt;
    private final long servingRevision;
    private final Map<String, Optional<ModelRoute>> older = new HashMap<>();

    /** @param routeAt a model's route at a revision (from the deployment history) */
    public KnownVersions(RoutingTable current, BiFunction<String, Long, Optional<ModelRoute>> routeAt,
                         long servingRevision) {
        this.current = current;
        this.routeAt = routeAt;
        this.servingRevision = servingRevision;
    }

    public boolean contains(String model, String version) {
        if (routes(current.models().get(model), version)) {
            return true;
        }
        if (servingRevision <= 0 || servingRevision >= current.revision()) {
            return false;
        }
        return routes(older.computeIfAbsent(model, m -> routeAt.apply(m, servingRevision)).orElse(null), version);
    }

    private static boolean routes(ModelRoute route, String version) {
        if (route == null) {
            return false;
        }
        for (RouteTarget t : route.targets()) {
            if (t.version().equals(version)) {
                return true;
            }
        }
        return false;
    }
}
