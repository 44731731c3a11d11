package io.modelmesh.api;

import java.util.List;

/**
 * Latency windows of one version.
 *
 * @param version the version
 * @param role    its role in the model's current route, or null when it is no longer routed
 * @param weight  its share of routed traffic (percent; for a shadow, the share mirrored), or null when not routed
 * @param windows the last 1, 5 and 15 minutes, in that order
 */
public record VersionLatency(String version, RouteTarget.Role role, Integer weight, List<LatencyWindow> windows) {
    public VersionLatency {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }
}
