package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.ModelAlias;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The {@code model_aliases} table: names pointing to one version of their model. */
public final class AliasRepository {
    private static final String COLUMNS = "model, alias, version, updated_at, updated_by";

    private final DbClient db;

    public AliasRepository(DbClient db) {
        this.db = db;
    }

    /** Points the alias at the version (creating it or moving it). */
    public void set(DbExecute tx, String model, String alias, String version, Instant at, String by) {
        tx.createInsert("INSERT INTO model_aliases (model, alias, version, updated_at, updated_by) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (model, alias) DO UPDATE SET version = EXCLUDED.version, "
                        + "updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")
                .params(model, alias, version, Rows.param(at), by).execute();
    }

    /** Removes the alias; whether it existed. */
    public boolean delete(DbExecute tx, String model, String alias) {
        return tx.createDelete("DELETE FROM model_aliases WHERE model = ? AND alias = ?").params(model, alias)
                .execute() > 0;
    }

    public Optional<ModelAlias> find(String model, String alias) {
        return db.execute().get("SELECT " + COLUMNS + " FROM model_aliases WHERE model = ? AND alias = ?", model, alias)
                .map(AliasRepository::alias);
    }

    /** The model's aliases by name. */
    public List<ModelAlias> list(String model) {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM model_aliases WHERE model = ? "
                + "ORDER BY alias", model)) {
            return rows.map(AliasRepository::alias).toList();
        }
    }

    /** Every alias of every model, by model and name (at most {@code limit}). */
    public List<ModelAlias> all(int limit) {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM model_aliases ORDER BY model, alias "
                + "LIMIT ?", limit)) {
            return rows.map(AliasRepository::alias).toList();
        }
    }

    /** Model to (alias to version), for the routing table. */
    public Map<String, Map<String, String>> byModel() {
        Map<String, Map<String, String>> out = new HashMap<>();
        try (Stream<DbRow> rows = db.execute().query("SELECT model, alias, version FROM model_aliases")) {
            rows.forEach(r -> out.computeIfAbsent(Rows.text(r, "model"), m -> new TreeMap<>())
                    .put(Rows.text(r, "alias"), Rows.text(r, "version")));
        }
        return out;
    }

    private static ModelAlias alias(DbRow r) {
        return new ModelAlias(Rows.text(r, "model"), Rows.text(r, "alias"), Rows.text(r, "version"),
                Rows.instant(r, "updated_at"), Rows.text(r, "updated_by"));
    }
}
