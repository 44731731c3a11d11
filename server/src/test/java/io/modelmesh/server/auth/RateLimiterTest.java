package io.modelmesh.server.auth;

import io.modelmesh.api.RateLimit;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token buckets on a hand-driven clock. */
class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(now::get);

    @Test
    void aBurstIsAdmittedThenTheRateRefillsIt() {
        RateLimit tenPerSecondBurstThree = new RateLimit(10, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire("k", tenPerSecondBurstThree), "burst request " + i);
        }
        long wait = limiter.acquire("k", tenPerSecondBurstThree);
        assertEquals(100_000_000L, wait, "the fourth waits one emission interval (100 ms)");
        now.addAndGet(wait);
        assertEquals(0, limiter.acquire("k", tenPerSecondBurstThree), "admitted once the interval passed");
        assertTrue(limiter.acquire("k", tenPerSecondBurstThree) > 0, "and the next one waits again");
        now.addAndGet(1_000_000_000L); // idle a second: the bucket is full again, not more
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.acquire("k", tenPerSecondBurstThree));
        }
        assertTrue(limiter.acquire("k", tenPerSecondBurstThree) > 0);
    }

    @Test
    void keysAreIndependent() {
        RateLimit onePerSecond = new RateLimit(1, 1);
        assertEquals(0, limiter.acquire("a", onePerSecond));
        assertTrue(limiter.acquire("a", onePerSecond) > 0);
        assertEquals(0, limiter.acquire("b", onePerSecond));
    }

    @Test
    void slowRatesWaitLong() {
        RateLimit onePerMinute = new RateLimit(1.0 / 60, 1);
        assertEquals(0, limiter.acquire("k", onePerMinute));
        long wait = limiter.acquire("k", onePerMinute);
        assertTrue(wait > 59_000_000_000L && wait <= 60_000_000_000L, "about a minute: " + wait);
    }
}
