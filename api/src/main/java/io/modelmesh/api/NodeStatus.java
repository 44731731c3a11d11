package io.modelmesh.api;

import java.time.Instant;

/** A node as the control plane sees it ({@code GET /nodes}). {@code state} is LIVE or DEAD. */
public record NodeStatus(String nodeId, String url, long servingRevision, String state, Instant lastSeen,
                         Instant registeredAt) {
}
