package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code outcome_strategies}, {@code outcome_seconds} and {@code outcome_totals} tables: the nodes' outcome
 * reports summed per second and per strategy, with latency histograms as arrays of bucket counts that PostgreSQL adds
 * element by element when reports meet on one row.
 */
public final class OutcomeRepository {
    /** Element-wise sum of two bigint arrays of any lengths (the shorter one padded with zeros). */
    private static final String SUM = "(SELECT coalesce(array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY i), "
            + "'{}'::bigint[]) FROM unnest(%1$s.latency, EXCLUDED.latency) WITH ORDINALITY AS t(a, b, i))";

    private final DbClient db;

    public OutcomeRepository(DbClient db) {
        this.db = db;
    }

    /** One summed row: a second or a total. */
    public record Row(String version, long second, long requests, long errors, long[] latency, double latencySum) {
    }

    /** The revision each model's current strategy started at (absent: 0). */
    public Map<String, Long> fromRevisions(DbExecute ex, List<String> models) {
        if (models.isEmpty()) {
            return Map.of();
        }
        String marks = models.stream().map(m -> "?").collect(Collectors.joining(", "));
        Map<String, Long> out = new HashMap<>();
        try (Stream<DbRow> rows = ex.query("SELECT model, from_revision FROM outcome_strategies WHERE model IN ("
                + marks + ")", models.toArray())) {
            rows.forEach(r -> out.put(Rows.text(r, "model"), Rows.number(r, "from_revision")));
        }
        return out;
    }

    public void reset(DbExecute tx, String model, Instant since, long revision) {
        tx.dml("INSERT INTO outcome_strategies (model, from_revision, since) VALUES (?, ?, ?) ON CONFLICT (model) "
                + "DO UPDATE SET from_revision = EXCLUDED.from_revision, since = EXCLUDED.since", model, revision,
                Rows.param(since));
    }

    /** Adds one report's outcome of a version to its second. */
    public void addSecond(DbExecute tx, String model, String version, long second, long revision, long requests,
                          long errors, long[] latency, double latencySum) {
        tx.dml(("INSERT INTO outcome_seconds AS o (model, version, second, revision, requests, errors, latency, "
                        + "latency_sum) VALUES (?, ?, ?, ?, ?, ?, CAST(? AS bigint[]), ?) "
                        + "ON CONFLICT (model, version, second, revision) DO UPDATE SET "
                        + "requests = o.requests + EXCLUDED.requests, errors = o.errors + EXCLUDED.errors, "
                        + "latency = " + SUM + ", latency_sum = o.latency_sum + EXCLUDED.latency_sum").formatted("o"),
                model, version, second, revision, requests, errors, array(latency), latencySum);
    }

    /** Adds one report's outcome of a version to its strategy's totals. */
    public void addTotal(DbExecute tx, String model, String version, long fromRevision, long requests, long errors,
                         long[] latency, double latencySum) {
        tx.dml(("INSERT INTO outcome_totals AS o (model, version, from_revision, requests, errors, latency, "
                        + "latency_sum) VALUES (?, ?, ?, ?, ?, CAST(? AS bigint[]), ?) "
                        + "ON CONFLICT (model, version, from_revision) DO UPDATE SET "
                        + "requests = o.requests + EXCLUDED.requests, errors = o.errors + EXCLUDED.errors, "
                        + "latency = " + SUM + ", latency_sum = o.latency_sum + EXCLUDED.latency_sum").formatted("o"),
                model, version, fromRevision, requests, errors, array(latency), latencySum);
    }

    /**
     * The version's seconds in {@code (fromExclusive, toInclusive]} from nodes serving the model's current strategy
     * (one row per second and revision).
     */
    public List<Row> seconds(String model, String version, long fromExclusive, long toInclusive) {
        try (Stream<DbRow> rows = db.execute().query("SELECT o.version, o.second, o.requests, o.errors, "
                        + "o.latency::text AS latency, o.latency_sum FROM outcome_seconds o "
                        + "LEFT JOIN outcome_strategies s ON s.model = o.model "
                        + "WHERE o.model = ? AND o.version = ? AND o.second > ? AND o.second <= ? "
                        + "AND o.revision >= coalesce(s.from_revision, 0)",
                model, version, fromExclusive, toInclusive)) {
            return rows.map(OutcomeRepository::row).toList();
        }
    }

    /** The model's totals under its current strategy, in the order versions first reported. */
    public List<Row> totals(String model) {
        try (Stream<DbRow> rows = db.execute().query("SELECT t.version, 0 AS second, t.requests, t.errors, "
                        + "t.latency::text AS latency, t.latency_sum FROM outcome_totals t "
                        + "LEFT JOIN outcome_strategies s ON s.model = t.model "
                        + "WHERE t.model = ? AND t.from_revision = coalesce(s.from_revision, 0) ORDER BY t.first_order",
                model)) {
            return rows.map(OutcomeRepository::row).toList();
        }
    }

    /** When the model's current strategy started, if recorded. */
    public Instant since(String model) {
        return db.execute().get("SELECT since FROM outcome_strategies WHERE model = ?", model)
                .map(r -> Rows.instant(r, "since")).orElse(null);
    }

    /** Deletes seconds before {@code beforeSecond} and the totals of replaced strategies. @return rows deleted */
    public long prune(DbExecute tx, long beforeSecond) {
        return tx.dml("DELETE FROM outcome_seconds WHERE second < ?", beforeSecond)
                + tx.dml("DELETE FROM outcome_totals t USING outcome_strategies s WHERE t.model = s.model "
                + "AND t.from_revision < s.from_revision");
    }

    private static Row row(DbRow r) {
        return new Row(Rows.text(r, "version"), Rows.number(r, "second"), Rows.number(r, "requests"),
                Rows.number(r, "errors"), parse(Rows.text(r, "latency")),
                ((Number) r.column("latency_sum").get(Object.class)).doubleValue());
    }

    static String array(long[] counts) {
        return Arrays.stream(counts).mapToObj(Long::toString).collect(Collectors.joining(",", "{", "}"));
    }

    static long[] parse(String text) {
        String t = text.strip();
        if (t.length() < 2 || t.charAt(0) != '{' || t.charAt(t.length() - 1) != '}') {
            throw new IllegalStateException("not a bigint[]: " + text);
        }
        String inner = t.substring(1, t.length() - 1);
        return inner.isEmpty() ? new long[0] : Arrays.stream(inner.split(",")).mapToLong(Long::parseLong).toArray();
    }
}
