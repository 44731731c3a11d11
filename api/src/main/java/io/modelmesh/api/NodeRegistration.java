package io.modelmesh.api;

/**
 * {@code POST /nodes/register}: a data-plane node announces itself.
 *
 * @param nodeId          stable id of the node (survives restarts)
 * @param url             base URL the control plane pushes routing tables to, e.g. {@code http://127.0.0.1:8000}
 * @param servingRevision routing revision the node serves now (0 when it has none)
 */
public record NodeRegistration(String nodeId, String url, long servingRevision) {
}
