package io.modelmesh.api;

/**
 * What one version answered on one node during one report window.
 *
 * @param model    model name
 * @param version  version that answered (routed or named by {@code ?version=})
 * @param role     its role in the node's routing table when the window closed (STABLE, CANARY, ARM, SHADOW), or null
 *                 when it is no longer routed
 * @param requests requests the version answered or failed (client errors, 4xx, are not counted)
 * @param errors   of those, the ones that failed on the server's side (5xx, including injected faults)
 * @param latency  latencies of all counted requests
 */
public record VersionOutcome(String model, String version, RouteTarget.Role role, long requests, long errors,
                             LatencyHistogram latency) {
    public VersionOutcome {
        latency = latency == null ? LatencyHistogram.empty() : latency;
    }
}
