package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The {@code artifacts} table: which content-addressed files the registry knows. */
public final class ArtifactRepository {
    private final DbClient db;

    public ArtifactRepository(DbClient db) {
        this.db = db;
    }

    public void insertIfAbsent(DbExecute ex, String sha256, long size, Instant at) {
        ex.createInsert("INSERT INTO artifacts (sha256, size_bytes, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (sha256) DO NOTHING").params(sha256, size, Rows.param(at)).execute();
    }

    public Set<String> all() {
        try (Stream<DbRow> rows = db.execute().query("SELECT sha256 FROM artifacts")) {
            return rows.map(r -> Rows.text(r, "sha256")).collect(Collectors.toUnmodifiableSet());
        }
    }
}
