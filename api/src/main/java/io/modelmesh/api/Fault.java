package io.modelmesh.api;

import java.time.Instant;

/**
 * Fault injection on one routed version ({@code mmctl chaos}), carried by the routing table to every node: a share of
 * the version's requests fails with HTTP 500 and every request is delayed. For drills and for measuring automatic
 * rollback; never part of a manifest.
 *
 * @param errorRate share of requests that fail, 0..1
 * @param latencyMs added delay per request (ms), 0..60000
 * @param until     when the fault ends by itself (nodes stop injecting at this instant), or null until cleared
 */
public record Fault(double errorRate, int latencyMs, Instant until) {
    public static final int MAX_LATENCY_MS = 60_000;

    public Fault {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("error_rate must be between 0 and 1, got " + errorRate);
        }
        if (latencyMs < 0 || latencyMs > MAX_LATENCY_MS) {
            throw new IllegalArgumentException("latency_ms must be 0.." + MAX_LATENCY_MS + ", got " + latencyMs);
        }
    }

    /** Whether the fault still applies at {@code now}. */
    public boolean activeAt(Instant now) {
        return until == null || now.isBefore(until);
    }
}
