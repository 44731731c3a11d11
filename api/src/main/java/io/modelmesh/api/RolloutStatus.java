package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * A canary rollout as the control plane tracks it ({@code GET /deployments/canary/{id}}).
 *
 * @param id                  rollout id
 * @param model               model name
 * @param stableVersion       the version the canary runs next to
 * @param canaryVersion       the candidate
 * @param state               RUNNING, PROMOTED, ROLLED_BACK (by analysis or by hand) or ABORTED (replaced)
 * @param percent             the canary's current share of traffic
 * @param steps               the steps it moves through (empty: stays at its percent)
 * @param stepIndex           index of the current step in {@code steps}
 * @param stepIntervalSeconds how long a step must stay healthy
 * @param analysis            rollback thresholds
 * @param reason              the last verdict's reason, or why the rollout ended
 * @param revision            the latest deployment revision this rollout wrote
 * @param createdBy           who started it
 * @param startedAt           when it started
 * @param stepStartedAt       when the current step started
 * @param finishedAt          when it ended, or null while running
 * @param pausedAt            when it was paused ({@code mmctl rollout pause}), or null: a paused rollout stays RUNNING
 *                            but neither moves to its next step nor acts on its analysis until resumed
 * @param pausedBy            who paused it, or null
 */
public record RolloutStatus(long id, String model, String stableVersion, String canaryVersion, RolloutState state,
                            int percent, List<Integer> steps, int stepIndex, int stepIntervalSeconds,
                            AnalysisPolicy analysis, String reason, long revision, String createdBy,
                            Instant startedAt, Instant stepStartedAt, Instant finishedAt, Instant pausedAt,
                            String pausedBy) {
    public RolloutStatus {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    /** A rollout that was never paused. */
    public RolloutStatus(long id, String model, String stableVersion, String canaryVersion, RolloutState state,
                         int percent, List<Integer> steps, int stepIndex, int stepIntervalSeconds,
                         AnalysisPolicy analysis, String reason, long revision, String createdBy,
                         Instant startedAt, Instant stepStartedAt, Instant finishedAt) {
        this(id, model, stableVersion, canaryVersion, state, percent, steps, stepIndex, stepIntervalSeconds,
                analysis, reason, revision, createdBy, startedAt, stepStartedAt, finishedAt, null, null);
    }

    /** Whether it is paused (only a RUNNING rollout can be). */
    public boolean paused() {
        return pausedAt != null;
    }
}
