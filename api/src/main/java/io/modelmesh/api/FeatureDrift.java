package io.modelmesh.api;

/**
 * Drift of one feature of one version: its current window against its reference.
 *
 * @param feature     the feature's name (its column number, from 0, when the version names no features)
 * @param psi         population stability index over 10 quantile bins of the reference (empty bins floored at 1e-4)
 * @param ksStatistic two-sample Kolmogorov–Smirnov statistic D (largest distance between the two empirical CDFs)
 * @param ksPValue    its p-value
 * @param drifted     {@code psi > psi_threshold} or {@code ks_p_value < ks_p_threshold} (see {@link VersionDrift})
 */
public record FeatureDrift(String feature, double psi, double ksStatistic,
                           @com.fasterxml.jackson.annotation.JsonProperty("ks_p_value") double ksPValue,
                           boolean drifted) {
}
