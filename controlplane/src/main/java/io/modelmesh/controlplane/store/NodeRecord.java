package io.modelmesh.controlplane.store;

import java.time.Instant;

/** One row of {@code nodes}: a data-plane node and what it last reported. */
public record NodeRecord(String nodeId, String url, long servingRevision, Instant registeredAt, Instant lastSeen) {
}
