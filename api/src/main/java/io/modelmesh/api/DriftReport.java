package io.modelmesh.api;

import java.util.List;

/**
 * {@code GET /monitoring/drift/{model}}: per version and feature, the current window of inputs against the version's
 * reference (PSI and the two-sample Kolmogorov–Smirnov test), computed by the control plane over every node's sampled
 * rows and kept in PostgreSQL.
 *
 * @param model    model name
 * @param window   rows per window for this model ({@link DriftPolicy})
 * @param drifted  whether any version's inputs drifted at its last evaluation
 * @param versions versions in the current route first, then others that have drift state
 */
public record DriftReport(String model, int window, boolean drifted, List<VersionDrift> versions) {
    public DriftReport {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }
}
