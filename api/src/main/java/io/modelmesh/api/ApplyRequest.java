package io.modelmesh.api;

import java.util.List;

/**
 * {@code POST /manifests/apply}: the manifests of one {@code mmctl apply -f} (or, with {@code dryRun}, of
 * {@code mmctl diff -f}). All are validated before anything is written, and all changes are written in one
 * transaction: either every manifest is applied or none is.
 */
public record ApplyRequest(List<ManifestFile> files, boolean dryRun) {
    public ApplyRequest {
        files = files == null ? List.of() : List.copyOf(files);
    }
}
