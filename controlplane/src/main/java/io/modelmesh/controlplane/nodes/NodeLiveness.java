package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.NodeState;
import java.time.Duration;
import java.time.Instant;

/** Liveness as a pure function of the last heartbeat, the current time and the allowed silence. */
public final class NodeLiveness {
    private NodeLiveness() {
    }

    /**
     * @param lastSeen  when the node last registered or heartbeat
     * @param now       the current time (from the control plane's clock)
     * @param deadAfter silence after which the node is DEAD (3 heartbeat intervals by default)
     * @return DEAD when strictly more than {@code deadAfter} has passed since {@code lastSeen}, else LIVE
     */
    public static NodeState state(Instant lastSeen, Instant now, Duration deadAfter) {
        return Duration.between(lastSeen, now).compareTo(deadAfter) > 0 ? NodeState.DEAD : NodeState.LIVE;
    }
}
