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

    /** Moves a running rollout to its next step, if it is still RUNNING at {@code fromStep}. @return whether it did */
    boolean advance(DbExecute tx, long id, int fromStep, int toStep, int percent, String reason, long revision,
                    Instant at);

    /** Ends a running rollout, if it is still RUNNING at {@code atStep}. @return whether it did */
    boolean finish(DbExecute tx, long id, int atStep, RolloutState state, int percent, String reason, long revision,
                   Instant at);

    /** Records the latest verdict's reason on a running rollout (what any control plane shows). */
    void note(long id, String reason, Instant at);
}
