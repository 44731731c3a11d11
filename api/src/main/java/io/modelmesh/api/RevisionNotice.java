package io.modelmesh.api;

/**
 * {@code POST {node}/internal/routing}: the control plane tells a node that revision {@code revision} of its routing
 * table exists (signed, like every call from the control plane to a node). The node answers at once and fetches the
 * table itself ({@code GET /nodes/{id}/routing}), prepares it off the intake path and acknowledges what it then serves
 * with its next heartbeat. A few dozen bytes: the table never travels in the notice.
 *
 * @param clusterId the control plane's cluster id
 * @param epoch     the control plane's epoch
 * @param revision  the newest revision
 */
public record RevisionNotice(String clusterId, long epoch, long revision) {
}
