package io.modelmesh.api;

/**
 * One version's requests over the last {@code minutes} minutes, summed over every node's outcome reports.
 *
 * @param minutes   the window's length (1, 5 or 15)
 * @param requests  requests answered or failed (client errors, 4xx, are not counted)
 * @param errors    of those, server-side failures (5xx)
 * @param errorRate errors / requests (0 without requests)
 * @param p50Ms     median latency (ms; the upper bound of its {@link LatencyHistogram} bucket), null without requests
 * @param p95Ms     95th percentile (ms), null without requests
 * @param p99Ms     99th percentile (ms), null without requests
 */
public record LatencyWindow(int minutes, long requests, long errors, double errorRate, Double p50Ms, Double p95Ms,
                            Double p99Ms) {
}
