package io.modelmesh.controlplane.rollout;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The in-memory store: the common contract, and what a ring of seconds adds. */
class OutcomeWindowsTest extends OutcomeStoreContract {
    final OutcomeWindows windows = new OutcomeWindows(Clock.fixed(T0, ZoneOffset.UTC));

    @Override
    OutcomeStore store() {
        return windows;
    }

    @Override
    void reset(String model, Instant since, long revision) {
        windows.reset(null, model, since, revision);
    }

    @Test
    void oldBucketsAreNotReusedAndTooOldReportsAreCounted() {
        windows.accept(report("a", 1, T0, 10, 1));
        // a report a whole ring later lands in the same slot without adding the old second's counts
        windows.accept(report("a", 1, T0.plusSeconds(OutcomeWindows.RING_SECONDS), 4, 0));
        assertEquals(4, windows.window("iris", "1.1.0", 1, T0.plusSeconds(OutcomeWindows.RING_SECONDS)).requests());
        windows.accept(report("a", 1, T0.minusSeconds(1), 4, 0));
        assertEquals(1, windows.tooOld(), "a report older than the kept history");
    }
}
