package io.modelmesh.api;

import java.util.List;

/** The answer to {@code POST /manifests/apply}: one change per manifest, in the order sent. */
public record ApplyResult(boolean dryRun, List<ManifestChange> changes) {
    public ApplyResult {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }
}
