package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The deletes of {@code mmctl delete}, inside the caller's transaction: a version's row, a model's rows in every table
 * that names it, and the artifact rows no remaining version uses.
 */
public final class RemovalRepository {

    /** A deleted artifact row. */
    public record Artifact(String sha256, long sizeBytes) {
    }

    /**
     * Takes the lock every revision writer takes first ({@link DeploymentRepository#insert}), so the route a deletion
     * checks stays the model's route until the deletion commits.
     */
    public void lockRevisions(DbExecute tx) {
        tx.get("SELECT pg_advisory_xact_lock(?) IS NULL AS locked", DeploymentRepository.REVISION_LOCK);
    }

    /** Deletes one version; the artifacts it named (upload and served file), empty when there was no such version. */
    public Optional<Set<String>> deleteVersion(DbExecute tx, String model, String version) {
        // its drift reference and window (the window's chunks go with it: ON DELETE CASCADE)
        tx.createDelete("DELETE FROM drift_versions WHERE model = ? AND version = ?").params(model, version).execute();
        try (Stream<DbRow> rows = tx.query("DELETE FROM model_versions WHERE model = ? AND version = ? "
                + "RETURNING sha256, served_sha256", model, version)) {
            List<DbRow> deleted = rows.toList();
            if (deleted.isEmpty()) {
                return Optional.empty();
            }
            Set<String> shas = new LinkedHashSet<>();
            for (DbRow r : deleted) {
                shas.add(Rows.text(r, "sha256").trim());
                String served = Rows.text(r, "served_sha256");
                if (served != null) {
                    shas.add(served.trim());
                }
            }
            return Optional.of(shas);
        }
    }

    /** The artifacts a model's versions name (uploads and served files). */
    public Set<String> artifactsOf(DbExecute tx, String model) {
        Set<String> shas = new LinkedHashSet<>();
        try (Stream<DbRow> rows = tx.query("SELECT sha256, served_sha256 FROM model_versions WHERE model = ?", model)) {
            rows.forEach(r -> {
                shas.add(Rows.text(r, "sha256").trim());
                String served = Rows.text(r, "served_sha256");
                if (served != null) {
                    shas.add(served.trim());
                }
            });
        }
        return shas;
    }

    /**
     * Deletes a model and everything recorded about it: shadow comparisons (their samples cascade), rollouts,
     * deployment revisions, versions and the model row.
     *
     * @return the versions deleted
     */
    public List<String> deleteModel(DbExecute tx, String model) {
        tx.createDelete("DELETE FROM shadow_comparisons WHERE model = ?").params(model).execute();
        tx.createDelete("DELETE FROM rollouts WHERE model = ?").params(model).execute();
        tx.createDelete("DELETE FROM drift_versions WHERE model = ?").params(model).execute();
        tx.createDelete("DELETE FROM deployments WHERE model = ?").params(model).execute();
        List<String> versions = new ArrayList<>();
        try (Stream<DbRow> rows = tx.query("DELETE FROM model_versions WHERE model = ? RETURNING version", model)) {
            rows.forEach(r -> versions.add(Rows.text(r, "version")));
        }
        tx.createDelete("DELETE FROM models WHERE name = ?").params(model).execute();
        return versions;
    }

    /** Deletes the rows of those of {@code candidates} that no version names any more. */
    public List<Artifact> deleteUnreferencedArtifacts(DbExecute tx, Collection<String> candidates) {
        List<Artifact> deleted = new ArrayList<>();
        for (String sha : candidates) {
            tx.get("DELETE FROM artifacts a WHERE a.sha256 = ? AND NOT EXISTS (SELECT 1 FROM model_versions v "
                            + "WHERE v.sha256 = a.sha256 OR v.served_sha256 = a.sha256) RETURNING size_bytes", sha)
                    .ifPresent(r -> deleted.add(new Artifact(sha, Rows.number(r, "size_bytes"))));
        }
        return deleted;
    }
}
