package io.modelmesh.controlplane.cluster;

import io.modelmesh.controlplane.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who holds the controller lease, with leases in memory and a clock turned by hand. */
class LeadershipTest {
    static final Duration TTL = Duration.ofSeconds(3);

    final MemoryLeases leases = new MemoryLeases();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Leadership a = new Leadership(leases, "controller", "cp-a", TTL, clock);
    final Leadership b = new Leadership(leases, "controller", "cp-b", TTL, clock);

    @Test
    void theFirstToStepLeadsAndTheOtherWaitsWhileItRenews() {
        assertTrue(a.step());
        assertFalse(b.step());
        for (int i = 0; i < 10; i++) { // renewed every second: never expires
            clock.advance(Duration.ofSeconds(1));
            assertTrue(a.step());
            assertFalse(b.step());
        }
        assertEquals(1, a.fence().orElseThrow().token());
        assertFalse(b.leading());
    }

    @Test
    void aLeaderThatStopsRenewingIsReplacedOnceItsLeaseExpiresWithANewFencingToken() {
        assertTrue(a.step());
        Fence old = a.fence().orElseThrow();
        clock.advance(TTL.minusMillis(1));
        assertFalse(b.step(), "not before the lease expired");
        clock.advance(Duration.ofMillis(1));
        assertTrue(b.step(), "at its expiry");
        Fence fresh = b.fence().orElseThrow();
        assertEquals(old.token() + 1, fresh.token());

        // the old leader (a paused process) still believes it leads until its next step, but cannot write
        assertTrue(a.leading());
        assertThrows(NotLeaderException.class, () -> a.check(null, old));
        assertDoesNotThrow(() -> b.check(null, fresh));
        assertFalse(a.step(), "its renewal fails: it steps down");
        assertFalse(a.leading());
    }

    @Test
    void aGracefulStopHandsTheLeaseOverAtTheNextStep() {
        assertTrue(a.step());
        a.release();
        assertFalse(a.leading());
        assertTrue(b.step(), "no waiting for the TTL");
        assertEquals(2, b.fence().orElseThrow().token());
    }

    @Test
    void aHolderWhoseRenewalFailedWithoutLosingTheLeaseGoesOnWithTheSameToken() {
        assertTrue(a.step());
        Fence before = a.fence().orElseThrow();
        Leadership restarted = new Leadership(leases, "controller", "cp-a", TTL, clock); // same holder, no state
        assertTrue(restarted.step());
        assertEquals(before, restarted.fence().orElseThrow());
    }
}
