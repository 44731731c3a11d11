package io.modelmesh.loadgen;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    @Test
    void requestIIsDueAtStartPlusIOverRate() {
        Schedule s = Schedule.of(1_000, 5_000, Duration.ZERO, Duration.ofSeconds(1));
        assertEquals(1_000, s.intendedNanos(0));
        assertEquals(1_000 + 200_000, s.intendedNanos(1));
        assertEquals(1_000 + 999 * 200_000L, s.intendedNanos(999));
    }

    @Test
    void offsetsAreComputedFromTheIndexSoFractionalPeriodsDoNotDrift() {
        // 3 requests/s: a period of 333,333,333.33 ns; adding rounded periods would lose 1 ns every 3 requests
        assertEquals(1_000_000_000L, Schedule.offsetNanos(3, 3));
        assertEquals(3_000_000_000_000L, Schedule.offsetNanos(9_000, 3));
        assertEquals(333_333_333L, Schedule.offsetNanos(1, 3));
        assertEquals(666_666_667L, Schedule.offsetNanos(2, 3));
    }

    @Test
    void warmupAndMeasuredCountsFollowTheSpans() {
        Schedule s = Schedule.of(0, 5_000, Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertEquals(25_000, s.warmupCount());
        assertEquals(150_000, s.measuredCount());
        assertEquals(175_000, s.totalCount());
        assertFalse(s.measured(24_999));
        assertTrue(s.measured(25_000));
        assertEquals(5_000_000_000L, s.measuredStartNanos());
        assertEquals(30_000_000_000L, s.measuredSpanNanos());
        assertEquals(35_000_000_000L, s.endNanos());
    }

    @Test
    void fractionalRatesAndSpansRoundToWholeRequests() {
        assertEquals(1, Schedule.countFor(Duration.ofSeconds(2), 0.5));
        assertEquals(2, Schedule.countFor(Duration.ofMillis(1_500), 1.5)); // 2.25 -> 2
        assertEquals(750, Schedule.countFor(Duration.ofMillis(1_500), 500));
        assertEquals(0, Schedule.countFor(Duration.ZERO, 500));
    }

    @Test
    void aScheduleWithoutMeasuredRequestsOrWithABadRateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Schedule.of(0, 1, Duration.ZERO, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("schedules no request"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, Double.NaN, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, 10, -1, 1));
    }
}
