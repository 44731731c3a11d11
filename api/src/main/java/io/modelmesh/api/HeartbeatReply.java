package io.modelmesh.api;

/**
 * The control plane's answer to a heartbeat or registration.
 *
 * @param latestRevision     newest routing revision; a node behind it (or serving another identity's table) fetches
 *                           its routing table (catch-up after a missed notice)
 * @param known              false when the control plane does not know the node (it then joins again)
 * @param sessionToken       only in the answer to a registration: the node's session, which authenticates its calls
 *                           from now on and from which the key that signs calls to it is derived; null otherwise
 * @param credentialsVersion changes whenever the tokens a node must accept change; a node that holds another version
 *                           fetches {@code GET /nodes/{id}/credentials}
 * @param clusterId          the control plane's cluster id
 * @param epoch              the control plane's epoch
 */
public record HeartbeatReply(long latestRevision, boolean known, String sessionToken, String credentialsVersion,
                             String clusterId, long epoch) {
    public HeartbeatReply(long latestRevision, boolean known, String sessionToken, String credentialsVersion) {
        this(latestRevision, known, sessionToken, credentialsVersion, null, 0);
    }

    public HeartbeatReply(long latestRevision, boolean known) {
        this(latestRevision, known, null, null);
    }

    /** Like the record's, without the session token. */
    @Override
    public String toString() {
        return "HeartbeatReply[latestRevision=" + latestRevision + ", known=" + known + ", sessionToken="
                + (sessionToken == null ? null : "***") + ", credentialsVersion=" + credentialsVersion
                + ", clusterId=" + clusterId + ", epoch=" + epoch + "]";
    }
}
