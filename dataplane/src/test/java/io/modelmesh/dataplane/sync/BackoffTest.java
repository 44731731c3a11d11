package io.modelmesh.dataplane.sync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Exponential backoff with equal jitter, with the random source pinned. */
class BackoffTest {
    @Test
    void eachBackoffLiesBetweenHalfAndAllOfTheDoubledDelayCappedAtTheMaximum() {
        Backoff low = new Backoff(6, Duration.ofMillis(200), Duration.ofSeconds(2), () -> 0.0);
        Backoff high = new Backoff(6, Duration.ofMillis(200), Duration.ofSeconds(2), () -> 0.999_999);
        long[] full = {200, 400, 800, 1600, 2000};
        for (int call = 1; call <= 5; call++) {
            assertEquals(Optional.of(full[call - 1] / 2), low.nextDelayMillis(0, 0, call), "call " + call);
            assertEquals(Optional.of(full[call - 1] - 1), high.nextDelayMillis(0, 0, call), "call " + call);
        }
    }

    @Test
    void noRetryAfterTheLastCall() {
        Backoff b = new Backoff(3, Duration.ofMillis(200), Duration.ofSeconds(2), () -> 0.5);
        assertEquals(Optional.of(150L), b.nextDelayMillis(0, 0, 1));
        assertEquals(Optional.empty(), b.nextDelayMillis(0, 0, 3));
        assertEquals(Optional.of(2000L), new Backoff(100, Duration.ofMillis(200), Duration.ofSeconds(2), () -> 1.0)
                .nextDelayMillis(0, 0, 99), "no overflow far out: the maximum");
    }

    @Test
    void atLeastOneCall() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(0, Duration.ZERO, Duration.ZERO, () -> 0));
    }
}
