package io.modelmesh.controlplane.store;

import java.time.Instant;
import java.util.Map;

/**
 * One row of {@code nodes}: a data-plane node and what it last reported.
 *
 * @param servingRevision the revision of this control plane's identity the node serves (0 when it serves another
 *                        identity's table, or none)
 * @param sessionHash     SHA-256 of the session token the node got when it joined (authenticates its calls), or null
 * @param pushKey         the key calls to the node are signed with (derived from that token), or null
 * @param failed          models of its revision the node serves on older targets, with the reasons
 * @param outcomesLagMs   how long ago, at its last heartbeat, the node last had all outcome reports delivered (null:
 *                        it did not say)
 */
public record NodeRecord(String nodeId, String url, long servingRevision, Instant registeredAt, Instant lastSeen,
                         String sessionHash, String pushKey, Map<String, String> failed, Long outcomesLagMs) {
    public NodeRecord {
        failed = failed == null ? Map.of() : Map.copyOf(failed);
    }

    public NodeRecord(String nodeId, String url, long servingRevision, Instant registeredAt, Instant lastSeen,
                      String sessionHash, String pushKey) {
        this(nodeId, url, servingRevision, registeredAt, lastSeen, sessionHash, pushKey, Map.of(), null);
    }

    /** Like the record's, without the push key. */
    @Override
    public String toString() {
        return "NodeRecord[nodeId=" + nodeId + ", url=" + url + ", servingRevision=" + servingRevision
                + ", registeredAt=" + registeredAt + ", lastSeen=" + lastSeen + ", failed=" + failed
                + ", outcomesLagMs=" + outcomesLagMs + "]";
    }
}
