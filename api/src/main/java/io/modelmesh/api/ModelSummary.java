package io.modelmesh.api;

import java.time.Instant;

/**
 * One row of {@code GET /models}.
 *
 * @param liveVersion the version currently deployed at 100 % (null when nothing is deployed)
 */
public record ModelSummary(String name, String framework, String latestVersion, String liveVersion, int versions,
                           Instant createdAt) {
}
