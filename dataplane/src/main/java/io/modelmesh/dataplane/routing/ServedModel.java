package io.modelmesh.dataplane.routing;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;

import java.util.List;
import java.util.Map;

/**
 * A model's route with its loaded versions.
 *
 * @param route    as pushed by the control plane
 * @param versions version to served version (every target of the route)
 * @param weighted the targets that take routed traffic (STABLE, CANARY, ARM with weight > 0), in route order
 */
public record ServedModel(ModelRoute route, Map<String, ServedVersion> versions, List<ServedVersion> weighted) {
    public ServedModel {
        versions = Map.copyOf(versions);
        weighted = List.copyOf(weighted);
    }

    public static ServedModel of(ModelRoute route, Map<String, ServedVersion> versions) {
        List<ServedVersion> weighted = route.targets().stream()
                .filter(t -> t.weight() > 0 && t.role() != RouteTarget.Role.SHADOW)
                .map(t -> versions.get(t.version()))
                .toList();
        return new ServedModel(route, versions, weighted);
    }
}
