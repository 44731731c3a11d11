package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.RolloutStatus;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.RolloutRepository;
import io.modelmesh.server.errors.ConflictException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mmctl rollout pause|resume|abort} on the controller, over the in-memory repositories and a hand-turned clock:
 * a paused canary neither advances nor acts on a breach; resumed, its step starts again; abort ends it ABORTED.
 */
class RolloutPauseTest extends ControllerFixture {

    @Test
    void aPausedCanaryNeitherAdvancesNorRollsBackUntilResumed() {
        DeploymentRecord first = routes.start(10);
        rollouts.start(first, List.of(10, 50, 100), 30);
        assertTrue(leaseA.step());

        RolloutStatus paused = a.pause(1, "alice");
        assertTrue(paused.paused());
        assertEquals("alice", paused.pausedBy());
        assertTrue(paused.reason().startsWith("paused by alice at 10%"), paused.reason());
        assertThrows(ConflictException.class, () -> b.pause(1, "bob"), "paused twice");

        serveHealthy(Duration.ofSeconds(40));
        a.tick(clock.instant());
        assertEquals(1, routes.written.size(), "a healthy step past its interval does not advance while paused");
        outcomes.accept(report(100, 90));
        a.tick(clock.instant());
        assertEquals(RolloutRepository.RUNNING, rollouts.only().state(), "nor does a breach roll it back");
        assertEquals(10, rollouts.only().percent());
        assertTrue(rollouts.only().reason().startsWith("paused by alice"), "the analysis notes nothing meanwhile");

        RolloutStatus resumed = b.resume(1, "bob");
        assertFalse(resumed.paused());
        assertEquals(clock.instant(), resumed.stepStartedAt(), "the step starts again at the resumption");
        assertThrows(ConflictException.class, () -> a.resume(1, "alice"), "not paused any more");
        serveHealthy(Duration.ofSeconds(20));
        a.tick(clock.instant());
        assertEquals(1, routes.written.size(), "20 s of a 30 s step after resuming: not yet");
        serveHealthy(Duration.ofSeconds(10));
        a.tick(clock.instant());
        assertEquals(2, routes.written.size());
        assertEquals(50, rollouts.only().percent());
    }

    @Test
    void abortEndsEvenAPausedCanaryAbortedWithTheCanaryAtZero() {
        DeploymentRecord first = routes.start(10);
        rollouts.start(first, List.of(10, 50, 100), 30);
        assertTrue(leaseA.step());
        a.pause(1, "alice");

        b.abort(1, "bob"); // by hand: any control plane, paused or not
        RolloutStatus done = rollouts.only();
        assertEquals(RolloutRepository.ABORTED, done.state());
        assertEquals("aborted by bob", done.reason());
        assertFalse(done.paused());
        assertEquals(0, canaryWeight(routes.latest(MODEL).orElseThrow()));
        assertEquals("abort of canary 1.1.0 by bob", routes.latest(MODEL).orElseThrow().change());
        assertThrows(ConflictException.class, () -> a.abort(1, "alice"), "not running any more");
        assertThrows(ConflictException.class, () -> a.pause(1, "alice"));
    }
}
