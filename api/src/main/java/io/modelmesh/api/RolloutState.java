package io.modelmesh.api;

/**
 * Where a canary rollout is ({@link RolloutStatus#state()}): RUNNING until it is PROMOTED, ROLLED_BACK (by analysis or
 * by hand) or ABORTED (replaced by another revision). On the wire and in the database as the constant's name.
 */
public enum RolloutState {
    RUNNING, PROMOTED, ROLLED_BACK, ABORTED;

    /** Whether the rollout has ended. */
    public boolean finished() {
        return this != RUNNING;
    }
}
