package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /monitoring/latency/{model}} (and one per model in {@code GET /monitoring/latency}): per version, request
 * and error counts and p50/p95/p99 over the last 1, 5 and 15 minutes, merged across nodes from their outcome reports.
 * Held in the control plane's memory in per-minute buckets: after a restart the windows fill again.
 *
 * @param model    model name
 * @param at       the end of every window (the control plane's clock when it answered)
 * @param versions versions in the current route first, then others that served within 15 minutes
 */
public record LatencyReport(String model, Instant at, List<VersionLatency> versions) {
    public LatencyReport {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }
}
