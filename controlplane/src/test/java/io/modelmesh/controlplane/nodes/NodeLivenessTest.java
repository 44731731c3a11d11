package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.NodeState;
import io.modelmesh.controlplane.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeLivenessTest {
    private static final Duration DEAD_AFTER = Duration.ofSeconds(6); // 3 heartbeat intervals of 2 s

    @Test
    void liveUntilSilentForLongerThanTheLimit() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        Instant lastSeen = clock.instant();
        assertEquals(NodeState.LIVE, NodeLiveness.state(lastSeen, clock.instant(), DEAD_AFTER));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(NodeState.LIVE, NodeLiveness.state(lastSeen, clock.instant(), DEAD_AFTER));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(NodeState.LIVE, NodeLiveness.state(lastSeen, clock.instant(), DEAD_AFTER), "exactly 3 intervals");
        clock.advance(Duration.ofMillis(1));
        assertEquals(NodeState.DEAD, NodeLiveness.state(lastSeen, clock.instant(), DEAD_AFTER));
    }

    @Test
    void aHeartbeatRevivesANode() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
        Instant lastSeen = clock.instant();
        clock.advance(Duration.ofSeconds(30));
        assertEquals(NodeState.DEAD, NodeLiveness.state(lastSeen, clock.instant(), DEAD_AFTER));
        lastSeen = clock.instant();
        assertEquals(NodeState.LIVE, NodeLiveness.state(lastSeen, clock.instant(), DEAD_AFTER));
    }

    @Test
    void aClockBehindTheLastHeartbeatCountsAsLive() {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        assertEquals(NodeState.LIVE, NodeLiveness.state(now.plusSeconds(5), now, DEAD_AFTER));
    }
}
