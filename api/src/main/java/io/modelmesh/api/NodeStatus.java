package io.modelmesh.api;

import java.time.Instant;
import java.util.Map;

/**
 * A node as the control plane sees it ({@code GET /nodes}). {@code state} is LIVE or DEAD (on the wire by name);
 * {@code servingRevision} is
 * the revision of this control plane's identity the node acknowledged (0 while it serves another identity's table);
 * {@code failed} names the models of that revision it serves on older targets, with the reasons.
 */
public record NodeStatus(String nodeId, String url, long servingRevision, NodeState state, Instant lastSeen,
                         Instant registeredAt, Map<String, String> failed) {
    public NodeStatus {
        failed = failed == null || failed.isEmpty() ? null : Map.copyOf(failed);
    }

    public NodeStatus(String nodeId, String url, long servingRevision, NodeState state, Instant lastSeen,
                      Instant registeredAt) {
        this(nodeId, url, servingRevision, state, lastSeen, registeredAt, null);
    }
}
