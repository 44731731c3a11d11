package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * Drift of one version's inputs, summed over every node's sampled rows.
 *
 * @param version         the version
 * @param role            its role in the model's current route, or null when it is not routed
 * @param state           {@code no_features} (the version's input has no columns drift can follow),
 *                        {@code collecting_reference} (the reference is the first rows it serves, not all in yet),
 *                        {@code filling_window} (reference complete, the current window not yet full),
 *                        {@code evaluated}
 * @param referenceSource {@code file} (given at registration) or {@code served} (the first rows it served); null
 *                        before any row arrived
 * @param referenceRows   rows in the reference
 * @param window          rows a full current window holds
 * @param currentRows     rows in the current window
 * @param rowsServed      rows nodes served with this version since it was first seen, sampled or not
 * @param rowsReceived    of those, the sampled rows nodes sent
 * @param rowsDropped     rows nodes could not sample because their sampling queue was full
 * @param evaluatedAt     when the statistics below were computed (null before the first evaluation)
 * @param psiThreshold    a feature drifts when its PSI exceeds this (0.2)
 * @param ksPThreshold    ... or when its KS p-value is below this: 0.05 / number of features (Bonferroni)
 * @param drifted         whether any feature drifted at the last evaluation
 * @param features        per feature, at the last evaluation (empty before it)
 */
public record VersionDrift(String version, RouteTarget.Role role, String state, String referenceSource,
                           int referenceRows, int window, int currentRows, long rowsServed, long rowsReceived,
                           long rowsDropped,
                           Instant evaluatedAt, double psiThreshold,
                           @com.fasterxml.jackson.annotation.JsonProperty("ks_p_threshold") double ksPThreshold,
                           boolean drifted,
                           List<FeatureDrift> features) {
    public VersionDrift {
        features = features == null ? List.of() : List.copyOf(features);
    }
}
