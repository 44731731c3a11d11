package io.modelmesh.api;

/**
 * A node's answer to a pushed routing table ({@code PUT /internal/routing} on the node).
 *
 * @param nodeId          the node
 * @param servingRevision the revision the node serves after the push
 * @param applied         true when the pushed revision is now served (or a newer one was already)
 * @param error           why it was not applied, or null
 */
public record RoutingAck(String nodeId, long servingRevision, boolean applied, String error) {
}
