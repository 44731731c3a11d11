package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.ServedArtifact;
import io.modelmesh.api.Stage;
import io.modelmesh.controlplane.registry.SemVer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The {@code model_versions} table: immutable versions. */
public final class VersionRepository {
    private static final String COLUMNS = "model, version, framework, sha256, size_bytes, schema::text AS schema_json, "
            + "metadata::text AS metadata_json, parent, created_at, created_by, served_sha256, served_size_bytes, "
            + "served_format, converter, stage";
    private static final String SEMVER_ORDER = " ORDER BY major, minor, patch";
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final DbClient db;
    private final ObjectMapper json;

    public VersionRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public void insert(DbExecute ex, ModelVersion v) {
        SemVer sv = SemVer.parse(v.version());
        ServedArtifact served = v.served();
        ex.createInsert("""
                        INSERT INTO model_versions (model, version, major, minor, patch, framework, sha256, size_bytes,
                                                    schema, metadata, parent, created_at, created_by,
                                                    served_sha256, served_size_bytes, served_format, converter)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?)""")
                .params(v.model(), v.version(), sv.major(), sv.minor(), sv.patch(), v.framework(), v.sha256(),
                        v.sizeBytes(), Rows.toJson(json, v.schema()), Rows.toJson(json, v.metadata()), v.parent(),
                        Rows.param(v.createdAt()), v.createdBy(), served == null ? null : served.sha256(),
                        served == null ? null : served.sizeBytes(), served == null ? null : served.format(),
                        served == null ? null : served.converter())
                .execute();
    }

    public Optional<ModelVersion> find(DbExecute ex, String model, String version) {
        return ex.get("SELECT " + COLUMNS + " FROM model_versions WHERE model = ? AND version = ?", model, version)
                .map(this::version);
    }

    public Optional<ModelVersion> find(String model, String version) {
        return find(db.execute(), model, version);
    }

    /** Every version of a model in semantic-version order (oldest first). */
    public List<ModelVersion> list(String model) {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM model_versions WHERE model = ?"
                + SEMVER_ORDER, model)) {
            return rows.map(this::version).toList();
        }
    }

    /** The version numbers a model has (for the next version and the parent of a new one). */
    public List<SemVer> versions(DbExecute ex, String model) {
        try (Stream<DbRow> rows = ex.query("SELECT major, minor, patch FROM model_versions WHERE model = ?", model)) {
            return rows.map(r -> new SemVer((int) Rows.number(r, "major"), (int) Rows.number(r, "minor"),
                    (int) Rows.number(r, "patch"))).toList();
        }
    }

    /** Sets the version's feature names (its schema's inputs and outputs unchanged). */
    public void updateFeatures(DbExecute ex, String model, String version, List<String> features) {
        ex.createUpdate("UPDATE model_versions SET schema = jsonb_set(schema, '{features}', CAST(? AS jsonb)) "
                + "WHERE model = ? AND version = ?").params(Rows.toJson(json, features), model, version).execute();
    }

    /** Replaces the version's metadata. */
    public void updateMetadata(DbExecute ex, String model, String version, Map<String, String> metadata) {
        ex.createUpdate("UPDATE model_versions SET metadata = CAST(? AS jsonb) WHERE model = ? AND version = ?")
                .params(Rows.toJson(json, metadata), model, version).execute();
    }

    /** Sets the version's stage; whether a row changed. */
    public boolean setStage(DbExecute ex, String model, String version, Stage stage) {
        return ex.createUpdate("UPDATE model_versions SET stage = ? WHERE model = ? AND version = ? AND stage <> ?")
                .params(stage.wireName(), model, version, stage.wireName()).execute() > 0;
    }

    public boolean referencesArtifact(DbExecute ex, String sha256) {
        return ex.get("SELECT 1 AS ok FROM model_versions WHERE sha256 = ? OR served_sha256 = ? LIMIT 1",
                sha256, sha256).isPresent();
    }

    public long countAll() {
        return Rows.number(db.execute().get("SELECT count(*) AS n FROM model_versions").orElseThrow(), "n");
    }

    private ModelVersion version(DbRow row) {
        return new ModelVersion(Rows.text(row, "model"), Rows.text(row, "version"), Rows.text(row, "framework"),
                Rows.text(row, "sha256"), Rows.number(row, "size_bytes"),
                Rows.fromJson(json, Rows.text(row, "schema_json"), ModelSchema.class),
                readMetadata(Rows.text(row, "metadata_json")), Rows.text(row, "parent"),
                Rows.instant(row, "created_at"), Rows.text(row, "created_by"), served(row),
                Stage.parse(Rows.text(row, "stage")));
    }

    private static ServedArtifact served(DbRow row) {
        String sha = Rows.text(row, "served_sha256");
        return sha == null ? null : new ServedArtifact(sha, Rows.number(row, "served_size_bytes"),
                Rows.text(row, "served_format"), Rows.text(row, "converter"));
    }

    private Map<String, String> readMetadata(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, STRING_MAP);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not a string map: " + e.getOriginalMessage(), e);
        }
    }
}
