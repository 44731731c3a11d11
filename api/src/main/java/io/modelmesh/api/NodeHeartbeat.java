package io.modelmesh.api;

/** {@code POST /nodes/{id}/heartbeat}: sent every few seconds with the revision the node serves. */
public record NodeHeartbeat(String nodeId, long servingRevision) {
}
