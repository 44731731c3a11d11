package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.RolloutRepository;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two control planes' rollout controllers: only the lease holder acts, a new holder goes on with a running canary after
 * the old one died, and the old one's late evaluation (a paused process with a stale fencing token) writes nothing.
 */
class ControllerTakeoverTest extends ControllerFixture {

    @Test
    void theNewLeaderFinishesTheCanaryAndTheDeposedOneWritesNothing() {
        DeploymentRecord first = routes.start(10);
        rollouts.start(first, List.of(10, 50, 100), 30);
        assertTrue(leaseA.step());

        serveHealthy(Duration.ofSeconds(30));
        b.tick(clock.instant());
        assertEquals(1, routes.written.size(), "only the lease holder acts");
        a.tick(clock.instant());
        assertEquals(2, routes.written.size());
        assertEquals(50, rollouts.only().percent());
        assertEquals(50, canaryWeight(routes.latest(MODEL).orElseThrow()));

        // cp-a dies (stops renewing); cp-b takes the lease over once it expired
        clock.advance(TTL);
        assertTrue(leaseB.step());
        assertTrue(leaseA.leading(), "a paused cp-a does not know yet");

        serveHealthy(Duration.ofSeconds(30));
        a.tick(clock.instant()); // its verdict (promote) is fenced off
        assertEquals(2, routes.written.size(), "the deposed leader wrote nothing");
        assertEquals(RolloutRepository.RUNNING, rollouts.only().state());

        b.tick(clock.instant());
        assertEquals(3, routes.written.size());
        RolloutStatus done = rollouts.only();
        assertEquals(RolloutRepository.PROMOTED, done.state());
        assertEquals(100, done.percent());
        assertTrue(routes.latest(MODEL).orElseThrow().route().targets().stream()
                .noneMatch(t -> t.role() == RouteTarget.Role.CANARY));
        b.tick(clock.instant());
        a.tick(clock.instant());
        assertEquals(3, routes.written.size(), "a finished canary is acted on once");
        assertEquals(List.of(1L, 2L, 3L), routes.written.stream().map(DeploymentRecord::revision).toList());
    }

    @Test
    void aBreachReportedToTheFollowerIsActedOnByTheLeaderFromTheSharedOutcomes() {
        DeploymentRecord first = routes.start(10);
        rollouts.start(first, List.of(10, 50, 100), 30);
        assertTrue(leaseA.step());
        assertTrue(!leaseB.step());

        clock.advance(Duration.ofSeconds(2));
        OutcomeReport failing = report(100, 60);
        outcomes.accept(failing); // cp-b received it: its controller ignores it, the shared store counts it
        b.accept(failing);
        assertEquals(1, routes.written.size());
        a.tick(clock.instant());
        assertEquals(RolloutRepository.ROLLED_BACK, rollouts.only().state());
        assertTrue(rollouts.only().reason().startsWith("error rate 60.0% > 5.0%"), rollouts.only().reason());
        assertEquals(0, canaryWeight(routes.latest(MODEL).orElseThrow()));
    }
}
