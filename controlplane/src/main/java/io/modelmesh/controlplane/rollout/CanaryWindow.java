package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.LatencyHistogram;

/**
 * The canary's outcomes over the last {@code seconds}, summed over every node's reports.
 *
 * @param seconds  the window's length
 * @param requests requests the canary answered or failed
 * @param errors   of those, server-side failures
 * @param latency  their latencies
 */
public record CanaryWindow(int seconds, long requests, long errors, LatencyHistogram latency) {
    public CanaryWindow {
        latency = latency == null ? LatencyHistogram.empty() : latency;
    }

    public static CanaryWindow empty(int seconds) {
        return new CanaryWindow(seconds, 0, 0, LatencyHistogram.empty());
    }

    /** errors / requests, 0 without requests. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The 99th percentile latency (ms), 0 without requests. */
    public double p99Ms() {
        return latency.count() == 0 ? 0 : latency.quantileMs(0.99);
    }
}
