package io.modelmesh.dataplane.cache;

import io.modelmesh.dataplane.cache.CircuitBreaker.State;
import io.modelmesh.dataplane.cache.TestResults.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CircuitBreakerTest {
    private static final Duration DELAY = Duration.ofSeconds(2);
    private final ManualClock clock = new ManualClock();
    private final CircuitBreaker breaker = new CircuitBreaker(3, DELAY, clock::nanos);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(breaker.tryAcquire());
            breaker.onFailure();
        }
    }

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        fail(2);
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess(); // resets the run
        fail(2);
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
        assertTrue(breaker.onFailure(), "the third in a row opens it");
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
    }

    @Test
    void oneTrialAfterTheDelayThenClosesOnSuccess() {
        fail(3);
        clock.advance(DELAY.minusMillis(1));
        assertFalse(breaker.tryAcquire(), "still open just before the delay");
        clock.advance(Duration.ofMillis(1));
        assertTrue(breaker.tryAcquire(), "the trial");
        assertEquals(State.HALF_OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "only one trial at a time");
        assertTrue(breaker.onSuccess());
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
        breaker.onFailure();
        breaker.onFailure();
        assertEquals(State.CLOSED, breaker.state(), "the failure count started again from zero");
    }

    @Test
    void aFailedTrialOpensItForAnotherDelay() {
        fail(3);
        clock.advance(DELAY);
        assertTrue(breaker.tryAcquire());
        assertTrue(breaker.onFailure());
        assertEquals(State.OPEN, breaker.state());
        clock.advance(DELAY.minusMillis(1));
        assertFalse(breaker.tryAcquire());
        clock.advance(Duration.ofMillis(1));
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void stragglersDoNotMoveIt() {
        fail(3);
        assertFalse(breaker.onSuccess(), "a success from before the breaker opened is not the trial");
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.onFailure(), "already open");
    }

    @Test
    void aTrialThatNeverReportsIsReplaced() {
        fail(3);
        clock.advance(DELAY);
        assertTrue(breaker.tryAcquire()); // never reports back
        clock.advance(DELAY);
        assertTrue(breaker.tryAcquire(), "another trial after a further delay");
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(0, DELAY, clock::nanos));
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(1, Duration.ofSeconds(-1), clock::nanos));
    }
}
