package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.RolloutStatus;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code rollouts} table: canary rollouts and how they ended. State changes of a running rollout are conditional
 * ({@code WHERE state = 'RUNNING' AND step_index = ?}), so an action decided twice is written once.
 */
public final class RolloutRepository implements io.modelmesh.controlplane.rollout.Rollouts {
    /** The states a rollout row can be in. */
    public static final RolloutState RUNNING = RolloutState.RUNNING;
    public static final RolloutState PROMOTED = RolloutState.PROMOTED;
    public static final RolloutState ROLLED_BACK = RolloutState.ROLLED_BACK;
    public static final RolloutState ABORTED = RolloutState.ABORTED;

    private static final String COLUMNS = "id, model, stable_version, canary_version, state, percent, "
            + "steps::text AS steps_json, step_index, step_interval_seconds, analysis::text AS analysis_json, reason, "
            + "revision, created_by, started_at, step_started_at, finished_at, paused_at, paused_by";

    private final DbClient db;
    private final ObjectMapper json;

    public RolloutRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Inserts a RUNNING rollout (fails on the unique index when the model already has one). */
    public RolloutStatus insert(DbExecute tx, RolloutStatus r) {
        DbRow row = tx.createGet("INSERT INTO rollouts (model, stable_version, canary_version, state, percent, steps, "
                        + "step_index, step_interval_seconds, analysis, reason, revision, created_by, started_at, "
                        + "step_started_at, updated_at) VALUES (?, ?, ?, 'RUNNING', ?, CAST(? AS jsonb), ?, ?, "
                        + "CAST(? AS jsonb), ?, ?, ?, ?, ?, ?) RETURNING id")
                .params(r.model(), r.stableVersion(), r.canaryVersion(), r.percent(), Rows.toJson(json, r.steps()),
                        r.stepIndex(), r.stepIntervalSeconds(), Rows.toJson(json, r.analysis()), r.reason(),
                        r.revision(), r.createdBy(), Rows.param(r.startedAt()), Rows.param(r.stepStartedAt()),
                        Rows.param(r.startedAt()))
                .execute().orElseThrow();
        return find(tx, Rows.number(row, "id")).orElseThrow();
    }

    /**
     * Moves a running rollout to its next step, if it is still RUNNING at step {@code fromStep}.
     *
     * @return whether the row changed (false: another action got there first)
     */
    @Override
    public boolean advance(DbExecute tx, long id, int fromStep, int toStep, int percent, String reason,
                           long revision, Instant at) {
        return tx.dml("UPDATE rollouts SET step_index = ?, percent = ?, reason = ?, revision = ?, step_started_at = ?, "
                        + "updated_at = ? WHERE id = ? AND state = 'RUNNING' AND step_index = ? "
                        + "AND paused_at IS NULL", toStep, percent,
                reason, revision, Rows.param(at), Rows.param(at), id, fromStep) == 1;
    }

    /**
     * Ends a running rollout (PROMOTED, ROLLED_BACK or ABORTED), if it is still RUNNING at step {@code atStep}.
     *
     * @return whether the row changed
     */
    @Override
    public boolean finish(DbExecute tx, long id, int atStep, RolloutState state, int percent, String reason,
                          long revision, Instant at, boolean evenIfPaused) {
        return tx.dml("UPDATE rollouts SET state = ?, percent = ?, reason = ?, revision = ?, finished_at = ?, "
                        + "updated_at = ?, paused_at = NULL, paused_by = NULL WHERE id = ? AND state = 'RUNNING' "
                        + "AND step_index = ?" + (evenIfPaused ? "" : " AND paused_at IS NULL"), state.name(), percent,
                reason, revision, Rows.param(at), Rows.param(at), id, atStep) == 1;
    }

    @Override
    public boolean pause(long id, String by, String reason, Instant at) {
        return db.execute().dml("UPDATE rollouts SET paused_at = ?, paused_by = ?, reason = ?, updated_at = ? "
                + "WHERE id = ? AND state = 'RUNNING' AND paused_at IS NULL", Rows.param(at), by, reason,
                Rows.param(at), id) == 1;
    }

    @Override
    public boolean resume(long id, String reason, Instant at) {
        return db.execute().dml("UPDATE rollouts SET paused_at = NULL, paused_by = NULL, step_started_at = ?, "
                + "reason = ?, updated_at = ? WHERE id = ? AND state = 'RUNNING' AND paused_at IS NOT NULL",
                Rows.param(at), reason, Rows.param(at), id) == 1;
    }

    @Override
    public Optional<RolloutStatus> find(long id) {
        return find(db.execute(), id);
    }

    public Optional<RolloutStatus> find(DbExecute ex, long id) {
        return ex.get("SELECT " + COLUMNS + " FROM rollouts WHERE id = ?", id).map(this::status);
    }

    /** The model's RUNNING rollout, if any. */
    public Optional<RolloutStatus> running(DbExecute ex, String model) {
        return ex.get("SELECT " + COLUMNS + " FROM rollouts WHERE model = ? AND state = 'RUNNING'", model)
                .map(this::status);
    }

    @Override
    public Optional<RolloutStatus> running(String model) {
        return running(db.execute(), model);
    }

    /** The model's newest rollout, whatever its state. */
    public Optional<RolloutStatus> latest(String model) {
        return db.execute().get("SELECT " + COLUMNS + " FROM rollouts WHERE model = ? ORDER BY id DESC LIMIT 1", model)
                .map(this::status);
    }

    /** Every RUNNING rollout. */
    @Override
    public List<RolloutStatus> allRunning() {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM rollouts WHERE state = 'RUNNING' "
                + "ORDER BY id")) {
            return rows.map(this::status).toList();
        }
    }

    @Override
    public void note(long id, String reason, Instant at) {
        db.execute().dml("UPDATE rollouts SET reason = ?, updated_at = ? WHERE id = ? AND state = 'RUNNING' "
                + "AND paused_at IS NULL", reason,
                Rows.param(at), id);
    }

    private RolloutStatus status(DbRow row) {
        Integer[] steps = Rows.fromJson(json, Rows.text(row, "steps_json"), Integer[].class);
        return new RolloutStatus(Rows.number(row, "id"), Rows.text(row, "model"), Rows.text(row, "stable_version"),
                Rows.text(row, "canary_version"), RolloutState.valueOf(Rows.text(row, "state")),
                (int) Rows.number(row, "percent"),
                Arrays.asList(steps), (int) Rows.number(row, "step_index"),
                (int) Rows.number(row, "step_interval_seconds"),
                Rows.fromJson(json, Rows.text(row, "analysis_json"), AnalysisPolicy.class), Rows.text(row, "reason"),
                Rows.number(row, "revision"), Rows.text(row, "created_by"), Rows.instant(row, "started_at"),
                Rows.instant(row, "step_started_at"), Rows.instant(row, "finished_at"), Rows.instant(row, "paused_at"),
                Rows.text(row, "paused_by"));
    }
}
