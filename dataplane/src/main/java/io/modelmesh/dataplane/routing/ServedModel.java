package io.modelmesh.dataplane.routing;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;

import java.util.List;
import java.util.Map;

/**
 * A model's route with its loaded versions, and what routing needs precomputed so the request path allocates nothing.
 *
 * @param route        as pushed by the control plane
 * @param versions     version to served version (every target of the route)
 * @param weighted     the targets that take routed traffic (STABLE, CANARY, ARM with weight > 0), in route order
 * @param stickyHeader request header whose value keys sticky assignment (the route's, else {@code X-User-Id})
 * @param armHashes    per entry of {@code weighted}, the stable hash of its version string (rendezvous hashing)
 * @param shadow       the route's SHADOW target with weight > 0 (percent of routed requests mirrored), or null
 */
public record ServedModel(ModelRoute route, Map<String, ServedVersion> versions, List<ServedVersion> weighted,
                          String stickyHeader, long[] armHashes, ServedVersion shadow) {
    /** The sticky key header when the route names none. */
    public static final String DEFAULT_STICKY_HEADER = "X-User-Id";

    public ServedModel {
        versions = Map.copyOf(versions);
        weighted = List.copyOf(weighted);
        if (armHashes.length != weighted.size()) {
            throw new IllegalArgumentException("one arm hash per weighted version");
        }
    }

    public static ServedModel of(ModelRoute route, Map<String, ServedVersion> versions) {
        List<ServedVersion> weighted = route.targets().stream()
                .filter(RouteTarget::routed)
                .map(t -> versions.get(t.version()))
                .toList();
        long[] hashes = new long[weighted.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = StickyHash.of(weighted.get(i).version());
        }
        ServedVersion shadow = route.targets().stream()
                .filter(t -> t.role() == RouteTarget.Role.SHADOW && t.weight() > 0)
                .map(t -> versions.get(t.version()))
                .findFirst().orElse(null);
        String header = route.stickyKey() == null || route.stickyKey().isBlank() ? DEFAULT_STICKY_HEADER
                : route.stickyKey();
        return new ServedModel(route, versions, weighted, header, hashes, shadow);
    }
}
