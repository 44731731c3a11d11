package io.modelmesh.api;

/**
 * {@code POST /nodes/register}: a data-plane node announces itself.
 *
 * @param nodeId          stable id of the node (survives restarts)
 * @param url             base URL the control plane notifies, e.g. {@code http://127.0.0.1:8000}
 * @param servingRevision routing revision the node serves now (0 when it has none)
 * @param clusterId       the cluster id of the table it serves (null when none)
 * @param epoch           that table's epoch
 */
public record NodeRegistration(String nodeId, String url, long servingRevision, String clusterId, long epoch) {
    public NodeRegistration(String nodeId, String url, long servingRevision) {
        this(nodeId, url, servingRevision, null, 0);
    }
}
