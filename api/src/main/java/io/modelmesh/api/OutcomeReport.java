package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code POST /nodes/{id}/outcomes}: what a node served during one window (about one second), sent when the window
 * closes. The control plane's canary analysis, A/B statistics and shadow comparisons are built from these. Windows are
 * deltas: each request is in exactly one report.
 *
 * @param nodeId          the node
 * @param servingRevision the routing revision the node served when the window closed
 * @param from            window start
 * @param to              window end
 * @param versions        per-version outcomes (only versions that saw requests)
 * @param shadows         per-shadow comparisons (only shadows that saw requests)
 * @param features        feature rows sampled per version for drift detection (only versions with rows or drops)
 */
public record OutcomeReport(String nodeId, long servingRevision, Instant from, Instant to,
                            List<VersionOutcome> versions, List<ShadowOutcome> shadows, List<FeatureRows> features) {
    public OutcomeReport {
        versions = versions == null ? List.of() : List.copyOf(versions);
        shadows = shadows == null ? List.of() : List.copyOf(shadows);
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** A report without sampled feature rows. */
    public OutcomeReport(String nodeId, long servingRevision, Instant from, Instant to, List<VersionOutcome> versions,
                         List<ShadowOutcome> shadows) {
        this(nodeId, servingRevision, from, to, versions, shadows, List.of());
    }
}
