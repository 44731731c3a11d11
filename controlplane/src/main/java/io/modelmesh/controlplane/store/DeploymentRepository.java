package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelRoute;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code deployments} table. Its revisions are the routing-table revisions: the table is, for each model, its
 * latest row, and its revision is the largest one.
 */
public final class DeploymentRepository {
    /** Key of the transaction-scoped advisory lock that serialises writers of revisions. */
    /** Also taken by {@link RemovalRepository}, so a deletion and a new revision never interleave. */
    static final long REVISION_LOCK = 0x6d6d_7265_7600L;
    private static final String COLUMNS = "revision, model, route::text AS route_json, change, created_at, created_by, "
            + "spec::text AS spec_json, source, model_revision";

    private final DbClient db;
    private final ObjectMapper json;

    public DeploymentRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /**
     * Inserts a change and returns it with its revision. Takes a transaction-level lock first, so revisions become
     * visible in the order they were assigned: a table built after revision N is visible contains every change <= N.
     */
    public DeploymentRecord insert(DbExecute tx, String model, ModelRoute route, String change, Instant at,
                                   String createdBy) {
        return insert(tx, model, route, null, "api", change, at, createdBy);
    }

    /** The same, recording the desired state the route realises and where the change came from. */
    public DeploymentRecord insert(DbExecute tx, String model, ModelRoute route, DeploymentSpec spec, String source,
                                   String change, Instant at, String createdBy) {
        tx.get("SELECT pg_advisory_xact_lock(?) IS NULL AS locked", REVISION_LOCK);
        // the model's own number: the lock above serialises writers, so max + 1 cannot be taken twice
        DbRow row = tx.createGet("INSERT INTO deployments (model, route, spec, source, change, created_at, created_by, "
                        + "model_revision) VALUES (?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?, ?, "
                        + "(SELECT coalesce(max(model_revision), 0) + 1 FROM deployments WHERE model = ?)) "
                        + "RETURNING revision, model_revision")
                .params(model, Rows.toJson(json, route), spec == null ? null : Rows.toJson(json, spec), source, change,
                        Rows.param(at), createdBy, model)
                .execute().orElseThrow();
        return new DeploymentRecord(Rows.number(row, "revision"), model, route, change, at, createdBy, spec, source,
                Rows.number(row, "model_revision"));
    }

    /** One revision of a model by the model's own revision number (1, 2, 3...), if it exists. */
    public Optional<DeploymentRecord> revision(String model, long modelRevision) {
        return db.execute().get("SELECT " + COLUMNS + " FROM deployments WHERE model = ? AND model_revision = ?",
                model, modelRevision).map(this::record);
    }

    /** A model's route in force at {@code revision}: its latest change at or before it. */
    public Optional<DeploymentRecord> atOrBefore(String model, long revision) {
        return db.execute().get("SELECT " + COLUMNS + " FROM deployments WHERE model = ? AND revision <= ? "
                + "ORDER BY revision DESC LIMIT 1", model, revision).map(this::record);
    }

    public Optional<DeploymentRecord> latest(DbExecute ex, String model) {
        return ex.get("SELECT " + COLUMNS + " FROM deployments WHERE model = ? ORDER BY revision DESC LIMIT 1", model)
                .map(this::record);
    }

    public Optional<DeploymentRecord> latest(String model) {
        return latest(db.execute(), model);
    }

    /** A model's changes, newest first. */
    public List<DeploymentRecord> history(String model) {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM deployments WHERE model = ? "
                + "ORDER BY revision DESC", model)) {
            return rows.map(this::record).toList();
        }
    }

    /** Each model's latest change, read in one statement (one consistent snapshot). */
    public List<DeploymentRecord> latestPerModel() {
        try (Stream<DbRow> rows = db.execute().query("SELECT DISTINCT ON (model) " + COLUMNS + " FROM deployments "
                + "ORDER BY model, revision DESC")) {
            return rows.map(this::record).toList();
        }
    }

    /** The routing table's revision: the largest one, 0 before any deployment. */
    public long latestRevision() {
        return Rows.number(db.execute().get("SELECT coalesce(max(revision), 0) AS r FROM deployments").orElseThrow(), "r");
    }

    private DeploymentRecord record(DbRow row) {
        return new DeploymentRecord(Rows.number(row, "revision"), Rows.text(row, "model"),
                Rows.fromJson(json, Rows.text(row, "route_json"), ModelRoute.class), Rows.text(row, "change"),
                Rows.instant(row, "created_at"), Rows.text(row, "created_by"), spec(row), Rows.text(row, "source"),
                Rows.number(row, "model_revision"));
    }

    private DeploymentSpec spec(DbRow row) {
        String text = Rows.text(row, "spec_json");
        return text == null ? null : Rows.fromJson(json, text, DeploymentSpec.class);
    }
}
