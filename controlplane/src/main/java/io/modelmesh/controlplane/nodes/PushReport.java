package io.modelmesh.controlplane.nodes;

import java.util.List;

/**
 * What happened when a routing table went out to nodes.
 *
 * @param revision the table's revision
 * @param acked    nodes that acknowledged serving this revision or a later one
 * @param total    nodes the table was sent to
 * @param errors   one {@code "node-id: reason"} per node that did not acknowledge
 */
public record PushReport(long revision, int acked, int total, List<String> errors) {
    public PushReport {
        errors = List.copyOf(errors);
    }
}
