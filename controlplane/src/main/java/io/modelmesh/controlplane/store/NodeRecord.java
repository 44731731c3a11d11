package io.modelmesh.controlplane.store;

import java.time.Instant;

/**
 * One row of {@code nodes}: a data-plane node and what it last reported.
 *
 * @param sessionHash SHA-256 of the session token the node got when it joined (authenticates its calls), or null
 * @param pushKey     the key routing pushes to the node are signed with (derived from that token), or null
 */
public record NodeRecord(String nodeId, String url, long servingRevision, Instant registeredAt, Instant lastSeen,
                         String sessionHash, String pushKey) {
    public NodeRecord(String nodeId, String url, long servingRevision, Instant registeredAt, Instant lastSeen) {
        this(nodeId, url, servingRevision, registeredAt, lastSeen, null, null);
    }

    /** Like the record's, without the push key. */
    @Override
    public String toString() {
        return "NodeRecord[nodeId=" + nodeId + ", url=" + url + ", servingRevision=" + servingRevision
                + ", registeredAt=" + registeredAt + ", lastSeen=" + lastSeen + "]";
    }
}
