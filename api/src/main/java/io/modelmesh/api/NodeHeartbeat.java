package io.modelmesh.api;

import java.util.Map;

/**
 * {@code POST /nodes/{id}/heartbeat}: sent every few seconds, and at once after the node switched tables (this is the
 * acknowledgement the control plane waits for), with what the node serves.
 *
 * @param nodeId          the node
 * @param servingRevision the routing revision the node serves
 * @param clusterId       the cluster id of the table it serves (null when it serves none)
 * @param epoch           that table's epoch
 * @param failed          models of that revision the node serves on older targets (or not at all), each with the
 *                        reason; null or empty when none
 * @param outcomesLagMs   how long ago (ms) the node last had every closed outcome window delivered to the control
 *                        plane; null from nodes that do not say. A growing lag means its reports stopped.
 */
public record NodeHeartbeat(String nodeId, long servingRevision, String clusterId, long epoch,
                            Map<String, String> failed, Long outcomesLagMs) {
    public NodeHeartbeat {
        failed = failed == null || failed.isEmpty() ? Map.of() : Map.copyOf(failed);
    }

    public NodeHeartbeat(String nodeId, long servingRevision) {
        this(nodeId, servingRevision, null, 0, null, null);
    }
}
