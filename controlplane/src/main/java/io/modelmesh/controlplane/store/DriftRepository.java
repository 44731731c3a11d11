package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.FeatureDrift;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code drift_versions} and {@code drift_window_chunks} tables: each version's reference rows, counters and last
 * evaluation, and its current window as stored chunks. Rows are opaque bytes here (see {@code drift.RowCodec}).
 */
public final class DriftRepository {
    private static final String COLUMNS = "model, version, columns, source, reference, reference_rows, target_rows, "
            + "complete, reference_sha256, rows_served, rows_received, rows_dropped, rows_rejected, evaluated_at, "
            + "drifted, current_rows, results";

    private final DbClient db;
    private final ObjectMapper json;

    public DriftRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** A version's stored state (the window's chunks separately, {@link #chunks}). */
    public record Stored(String model, String version, List<String> columns, String source, byte[] reference,
                         int referenceRows, int targetRows, boolean complete, String referenceSha256,
                         long rowsServed, long rowsReceived, long rowsDropped, long rowsRejected, Instant evaluatedAt,
                         Boolean drifted,
                         Integer currentRows, List<FeatureDrift> results) {
    }

    /** One stored chunk of window rows. */
    public record StoredChunk(long seq, int rows, byte[] data) {
    }

    public Optional<Stored> find(DbExecute ex, String model, String version) {
        return ex.get("SELECT " + COLUMNS + " FROM drift_versions WHERE model = ? AND version = ?", model, version)
                .map(this::stored);
    }

    public Optional<Stored> find(String model, String version) {
        return find(db.execute(), model, version);
    }

    /** The window's chunks, oldest first. */
    public List<StoredChunk> chunks(String model, String version) {
        try (Stream<DbRow> rows = db.execute().query("SELECT seq, rows_count, data FROM drift_window_chunks "
                + "WHERE model = ? AND version = ? ORDER BY seq", model, version)) {
            return rows.map(r -> new StoredChunk(Rows.number(r, "seq"), (int) Rows.number(r, "rows_count"),
                    (byte[]) r.column("data").get(Object.class))).toList();
        }
    }

    /** Versions of the model with drift state, in registration order of their rows. */
    public List<String> versions(String model) {
        try (Stream<DbRow> rows = db.execute().query("SELECT version FROM drift_versions WHERE model = ? "
                + "ORDER BY created_at, version", model)) {
            return rows.map(r -> Rows.text(r, "version")).toList();
        }
    }

    /** Creates a version's state; does nothing when it exists (a concurrent first report). */
    public void insertIfAbsent(DbExecute tx, String model, String version, List<String> columns, String source,
                               byte[] reference, int referenceRows, int targetRows, boolean complete, String sha256,
                               Instant at) {
        tx.dml("INSERT INTO drift_versions (model, version, columns, source, reference, reference_rows, target_rows, "
                        + "complete, reference_sha256, created_at, updated_at) "
                        + "VALUES (?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (model, version) DO NOTHING",
                model, version, Rows.toJson(json, columns), source, reference, referenceRows, targetRows, complete,
                sha256, Rows.param(at), Rows.param(at));
    }

    /** Appends rows to a served reference. */
    public void appendReference(DbExecute tx, String model, String version, byte[] rows, int count, int targetRows,
                                boolean complete, Instant at) {
        tx.dml("UPDATE drift_versions SET reference = reference || ?, reference_rows = reference_rows + ?, "
                        + "target_rows = ?, complete = ?, updated_at = ? WHERE model = ? AND version = ?",
                rows, count, targetRows, complete, Rows.param(at), model, version);
    }

    /** A served reference's new target (the window changed), and whether it is complete. */
    public void retarget(DbExecute tx, String model, String version, int targetRows, boolean complete, Instant at) {
        tx.dml("UPDATE drift_versions SET target_rows = ?, complete = ?, updated_at = ? WHERE model = ? "
                + "AND version = ?", targetRows, complete, Rows.param(at), model, version);
    }

    /** Stores window rows and returns the chunk's seq. */
    public long appendChunk(DbExecute tx, String model, String version, byte[] rows, int count, Instant at) {
        DbRow row = tx.createGet("INSERT INTO drift_window_chunks (model, version, rows_count, data, received_at) "
                        + "VALUES (?, ?, ?, ?, ?) RETURNING seq")
                .params(model, version, count, rows, Rows.param(at)).execute().orElseThrow();
        return Rows.number(row, "seq");
    }

    /** Deletes the version's chunks up to {@code seq} (their rows have left the window). */
    public void deleteChunksUpTo(DbExecute tx, String model, String version, long seq) {
        tx.dml("DELETE FROM drift_window_chunks WHERE model = ? AND version = ? AND seq <= ?", model, version, seq);
    }

    public void count(DbExecute tx, String model, String version, long served, long received, long dropped,
                      long rejected, Instant at) {
        tx.dml("UPDATE drift_versions SET rows_served = rows_served + ?, rows_received = rows_received + ?, "
                        + "rows_dropped = rows_dropped + ?, rows_rejected = rows_rejected + ?, updated_at = ? "
                        + "WHERE model = ? AND version = ?",
                served, received, dropped, rejected, Rows.param(at), model, version);
    }

    public void saveEvaluation(DbExecute tx, String model, String version, Instant at, boolean drifted,
                               int currentRows, List<FeatureDrift> results) {
        tx.dml("UPDATE drift_versions SET evaluated_at = ?, drifted = ?, current_rows = ?, "
                        + "results = CAST(? AS jsonb), updated_at = ? WHERE model = ? AND version = ?",
                Rows.param(at), drifted, currentRows, Rows.toJson(json, results), Rows.param(at), model, version);
    }

    /** Rows stored as window chunks for the version (tests check the bound). */
    public long chunkRows(String model, String version) {
        return Rows.number(db.execute().get("SELECT coalesce(sum(rows_count), 0) AS n FROM drift_window_chunks "
                + "WHERE model = ? AND version = ?", model, version).orElseThrow(), "n");
    }

    private Stored stored(DbRow r) {
        Object drifted = r.column("drifted").get(Object.class);
        Object current = r.column("current_rows").get(Object.class);
        String results = Rows.text(r, "results");
        return new Stored(Rows.text(r, "model"), Rows.text(r, "version"),
                List.of(Rows.fromJson(json, Rows.text(r, "columns"), String[].class)),
                Rows.text(r, "source"), (byte[]) r.column("reference").get(Object.class),
                (int) Rows.number(r, "reference_rows"), (int) Rows.number(r, "target_rows"),
                Boolean.TRUE.equals(r.column("complete").get(Object.class)), Rows.text(r, "reference_sha256"),
                Rows.number(r, "rows_served"), Rows.number(r, "rows_received"), Rows.number(r, "rows_dropped"),
                Rows.number(r, "rows_rejected"),
                Rows.instant(r, "evaluated_at"), drifted == null ? null : (Boolean) drifted,
                current == null ? null : ((Number) current).intValue(),
                results == null ? List.of() : List.of(Rows.fromJson(json, results, FeatureDrift[].class)));
    }
}
