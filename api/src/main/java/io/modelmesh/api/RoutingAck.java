package io.modelmesh.api;

import java.util.Map;

/**
 * What a node serves, as it answers a revision notice ({@code POST /internal/routing} on the node) and as the node's
 * own routing intake reports an applied table.
 *
 * @param nodeId          the node
 * @param servingRevision the revision the node serves
 * @param applied         true when the revision in question is served in full (or a newer one already is)
 * @param error           why it was not applied (in full), or null
 * @param failed          models the node could not prepare, each with the reason; the node keeps serving their
 *                        previous targets (or, for a model new to it, does not serve it) while every other model moves
 *                        to the revision. Null or empty when none failed.
 */
public record RoutingAck(String nodeId, long servingRevision, boolean applied, String error,
                         Map<String, String> failed) {
    public RoutingAck {
        failed = failed == null || failed.isEmpty() ? null : Map.copyOf(failed);
    }

    public RoutingAck(String nodeId, long servingRevision, boolean applied, String error) {
        this(nodeId, servingRevision, applied, error, null);
    }
}
