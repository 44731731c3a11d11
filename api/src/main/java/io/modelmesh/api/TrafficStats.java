package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /monitoring/traffic/{model}}: per-version (per-arm) request, error and latency statistics, summed over the
 * nodes' outcome reports. Held in the control plane's memory: they start again when it restarts.
 *
 * @param model         model name
 * @param revision      the model's current deployment revision
 * @param since         when the current strategy started (counting starts then)
 * @param recentSeconds length of the "recent" window
 * @param versions      one entry per version with requests or a place in the route
 */
public record TrafficStats(String model, long revision, Instant since, int recentSeconds, List<VersionStats> versions) {
    public TrafficStats {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }
}
