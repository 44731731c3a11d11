package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.OutcomeReport;

/**
 * Receives every node's outcome report ({@code POST /nodes/{id}/outcomes}) as it arrives: the canary analysis, the
 * traffic statistics and the shadow comparisons each listen through this one narrow port. Must not block for long: it
 * runs on the request that carried the report.
 */
public interface OutcomeSink {
    void accept(OutcomeReport report);
}
