package io.modelmesh.controlplane.rollout;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.RolloutStatus;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rollouts the controller runs (the {@code rollouts} table in production, memory in tests). State changes of a
 * running rollout are conditional on the state the controller evaluated, so an action decided twice is written once.
 */
public interface Rollouts {
    Optional<RolloutStatus> running(String model);

    /** Every RUNNING rollout. */
    List<RolloutStatus> allRunning();

    Optional<RolloutStatus> find(long id);

    /**
     * Moves a running rollout to its next step, if it is still RUNNING at {@code fromStep} and not paused.
     * @return whether it did
     */
    boolean advance(DbExecute tx, long id, int fromStep, int toStep, int percent, String reason, long revision,
                    Instant at);

    /**
     * Ends a running rollout, if it is still RUNNING at {@code atStep} (and not paused, unless {@code evenIfPaused}:
     * an action by hand ends a paused rollout, the controller's analysis does not). @return whether it did
     */
    boolean finish(DbExecute tx, long id, int atStep, RolloutState state, int percent, String reason, long revision,
                   Instant at, boolean evenIfPaused);

    /**
     * Pauses a RUNNING rollout that is not paused: until resumed it neither advances nor acts on its analysis.
     *
     * @return whether it did (false: not running, or already paused)
     */
    boolean pause(long id, String by, String reason, Instant at);

    /**
     * Resumes a paused RUNNING rollout; its current step starts again at {@code at}, so the step's interval and the
     * inconclusive count are measured from the resumption. @return whether it did (false: not paused)
     */
    boolean resume(long id, String reason, Instant at);

    /** Records the latest verdict's reason on a running rollout (what any control plane shows). */
    void note(long id, String reason, Instant at);
}
