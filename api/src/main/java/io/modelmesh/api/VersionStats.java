package io.modelmesh.api;

/**
 * Traffic statistics of one version of a model, summed over every node's reports.
 *
 * @param version       the version
 * @param role          its role in the current route (null: not routed any more)
 * @param weight        its current share (percent; for a shadow, the share mirrored)
 * @param requests      requests since the current strategy started
 * @param errors        of those, server-side failures
 * @param errorRate     errors / requests (0 when none)
 * @param p50Ms         median latency (ms; bucket upper bound), null without requests
 * @param p95Ms         95th percentile (ms), null without requests
 * @param p99Ms         99th percentile (ms), null without requests
 * @param recentRequests requests over the last {@code TrafficStats.recentSeconds}
 * @param recentErrors   errors over the same window
 * @param recentP99Ms    99th percentile over the same window, null without requests
 */
public record VersionStats(String version, RouteTarget.Role role, Integer weight, long requests, long errors,
                           double errorRate, Double p50Ms, Double p95Ms, Double p99Ms, long recentRequests,
                           long recentErrors, Double recentP99Ms) {
}
