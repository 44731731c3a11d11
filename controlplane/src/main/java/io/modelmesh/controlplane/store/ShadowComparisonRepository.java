package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.ShadowSample;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code shadow_comparisons} and {@code shadow_samples} tables. Writers of one model's comparisons take
 * {@link #lockModel} first, so a report and a revision that opens a new comparison never interleave.
 */
public final class ShadowComparisonRepository {
    /** Samples kept per comparison; older ones are deleted as new ones arrive. */
    public static final int SAMPLES_KEPT = 200;
    /** First key of the transaction-scoped advisory lock per model (the second is the model name's hash). */
    private static final int MODEL_LOCK = 0x6d6d7368;
    private static final String COLUMNS = "id, model, shadow_version, primary_version, started_at, updated_at, active, "
            + "mirrored, dropped, failed, compared, label_comparisons, label_agreements, numeric_values, sum_abs_diff, "
            + "max_abs_diff, sum_latency_delta_ms";

    private final DbClient db;

    public ShadowComparisonRepository(DbClient db) {
        this.db = db;
    }

    /** Serialises writers of the model's comparisons until the transaction ends. */
    public void lockModel(DbExecute tx, String model) {
        tx.get("SELECT pg_advisory_xact_lock(?, hashtext(?)) IS NULL AS locked", MODEL_LOCK, model);
    }

    /** Marks every active comparison of the model inactive (its shadow stopped or was replaced). */
    public long deactivate(DbExecute tx, String model, Instant at) {
        return tx.dml("UPDATE shadow_comparisons SET active = false, updated_at = ? WHERE model = ? AND active",
                Rows.param(at), model);
    }

    /** Opens an empty comparison and returns its id. */
    public long open(DbExecute tx, String model, String shadowVersion, String primaryVersion, Instant startedAt,
                     boolean active) {
        DbRow row = tx.createGet("INSERT INTO shadow_comparisons (model, shadow_version, primary_version, started_at, "
                        + "updated_at, active) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
                .params(model, shadowVersion, primaryVersion, Rows.param(startedAt), Rows.param(startedAt), active)
                .execute().orElseThrow();
        return Rows.number(row, "id");
    }

    /** The comparison a report of (model, shadow, primary) adds to: the active one, else the newest closed one. */
    public Optional<ShadowComparison> find(DbExecute tx, String model, String shadowVersion, String primaryVersion) {
        return tx.get("SELECT " + COLUMNS + " FROM shadow_comparisons WHERE model = ? AND shadow_version = ? "
                        + "AND primary_version = ? ORDER BY active DESC, id DESC LIMIT 1",
                model, shadowVersion, primaryVersion).map(ShadowComparisonRepository::comparison);
    }

    /** The model's active comparison of the shadow version with any primary (the one its shadow revision opened). */
    public Optional<ShadowComparison> activeOf(DbExecute tx, String model, String shadowVersion) {
        return tx.get("SELECT " + COLUMNS + " FROM shadow_comparisons WHERE model = ? AND shadow_version = ? "
                + "AND active ORDER BY id LIMIT 1", model, shadowVersion).map(ShadowComparisonRepository::comparison);
    }

    /** Adds one report window's counters to the comparison. */
    public void add(DbExecute tx, long id, ShadowOutcome o, Instant at) {
        tx.dml("UPDATE shadow_comparisons SET mirrored = mirrored + ?, dropped = dropped + ?, failed = failed + ?, "
                        + "compared = compared + ?, label_comparisons = label_comparisons + ?, "
                        + "label_agreements = label_agreements + ?, numeric_values = numeric_values + ?, "
                        + "sum_abs_diff = sum_abs_diff + ?, max_abs_diff = greatest(max_abs_diff, ?), "
                        + "sum_latency_delta_ms = sum_latency_delta_ms + ?, updated_at = ? WHERE id = ?",
                o.mirrored(), o.dropped(), o.failed(), o.compared(), o.labelComparisons(), o.labelAgreements(),
                o.numericValues(), o.sumAbsDiff(), o.maxAbsDiff(), o.sumLatencyDeltaMs(), Rows.param(at), id);
    }

    /** Stores the samples and deletes the comparison's samples beyond the newest {@link #SAMPLES_KEPT}. */
    public void addSamples(DbExecute tx, long comparisonId, String nodeId, List<ShadowSample> samples, Instant at) {
        if (samples.isEmpty()) {
            return;
        }
        for (ShadowSample s : samples) {
            tx.dml("INSERT INTO shadow_samples (comparison_id, at, node_id, request_id, input, primary_output, "
                            + "shadow_output, shadow_error, labels_agree, max_abs_diff, primary_ms, shadow_ms) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    comparisonId, Rows.param(s.at() == null ? at : s.at()), nodeId, s.requestId(), s.input(),
                    s.primaryOutput(), s.shadowOutput(), s.shadowError(), s.labelsAgree(),
                    Double.isFinite(s.maxAbsDiff()) ? s.maxAbsDiff() : null, s.primaryMs(), s.shadowMs());
        }
        tx.dml("DELETE FROM shadow_samples WHERE comparison_id = ? AND id NOT IN (SELECT id FROM shadow_samples "
                        + "WHERE comparison_id = ? ORDER BY at DESC, id DESC LIMIT ?)", comparisonId, comparisonId,
                SAMPLES_KEPT);
    }

    /** The model's latest comparison: active first, then the most recently started (the primary one of a start). */
    public Optional<ShadowComparison> latest(String model) {
        return db.execute().get("SELECT " + COLUMNS + " FROM shadow_comparisons WHERE model = ? "
                        + "ORDER BY active DESC, started_at DESC, id LIMIT 1", model)
                .map(ShadowComparisonRepository::comparison);
    }

    /** The comparison's newest samples, newest first. */
    public List<ShadowSample> samples(long comparisonId, int limit) {
        try (Stream<DbRow> rows = db.execute().query("SELECT at, request_id, input, primary_output, shadow_output, "
                + "shadow_error, labels_agree, max_abs_diff, primary_ms, shadow_ms FROM shadow_samples "
                + "WHERE comparison_id = ? ORDER BY at DESC, id DESC LIMIT ?", comparisonId, limit)) {
            return rows.map(ShadowComparisonRepository::sample).toList();
        }
    }

    /** Samples stored for the comparison (tests check the bound). */
    public long sampleCount(long comparisonId) {
        return Rows.number(db.execute().get("SELECT count(*) AS n FROM shadow_samples WHERE comparison_id = ?",
                comparisonId).orElseThrow(), "n");
    }

    private static ShadowComparison comparison(DbRow row) {
        return new ShadowComparison(Rows.number(row, "id"), Rows.text(row, "model"),
                Rows.text(row, "shadow_version"), Rows.text(row, "primary_version"), Rows.instant(row, "started_at"),
                Rows.instant(row, "updated_at"), Boolean.TRUE.equals(row.column("active").get(Object.class)),
                Rows.number(row, "mirrored"), Rows.number(row, "dropped"), Rows.number(row, "failed"),
                Rows.number(row, "compared"), Rows.number(row, "label_comparisons"),
                Rows.number(row, "label_agreements"), Rows.number(row, "numeric_values"),
                decimal(row, "sum_abs_diff"), decimal(row, "max_abs_diff"), decimal(row, "sum_latency_delta_ms"));
    }

    private static ShadowSample sample(DbRow row) {
        Object agree = row.column("labels_agree").get(Object.class);
        Object diff = row.column("max_abs_diff").get(Object.class);
        return new ShadowSample(Rows.instant(row, "at"), Rows.text(row, "request_id"), rawText(row, "input"),
                rawText(row, "primary_output"), rawText(row, "shadow_output"), rawText(row, "shadow_error"),
                agree == null ? null : (Boolean) agree, diff == null ? Double.NaN : ((Number) diff).doubleValue(),
                decimal(row, "primary_ms"), decimal(row, "shadow_ms"));
    }

    private static double decimal(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    /** Text as stored (request bodies and outputs are not trimmed). */
    private static String rawText(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? null : v.toString();
    }
}
