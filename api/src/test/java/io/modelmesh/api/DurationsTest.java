package io.modelmesh.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one duration grammar: manifests and headers (a bare number is seconds), options and flags (a unit is needed). */
class DurationsTest {
    @Test
    void unitsAndBareSeconds() {
        assertEquals(Optional.of(Duration.ofMillis(500)), Durations.parse("500ms", false));
        assertEquals(Optional.of(Duration.ofSeconds(30)), Durations.parse(" 30s ", false));
        assertEquals(Optional.of(Duration.ofMinutes(5)), Durations.parse("5m", false));
        assertEquals(Optional.of(Duration.ofHours(1)), Durations.parse("1h", false));
        assertEquals(Optional.of(Duration.ofDays(30)), Durations.parse("30d", false));
        assertEquals(Optional.empty(), Durations.parse("30", false), "options and flags need the unit");
        assertEquals(Optional.of(Duration.ofSeconds(30)), Durations.parse("30", true));
        assertEquals(Optional.of(30_000L), Durations.millis("30"));
        assertEquals(Optional.of(90_000L), Durations.millis("90s"));
    }

    @Test
    void everythingElseIsNotADuration() {
        for (String t : new String[]{"", "s", "1.5s", "-1s", "30 s", "30S", "1w", "5min", "1h30m", "9999999999999s"}) {
            assertEquals(Optional.empty(), Durations.parse(t, true), t);
        }
        assertEquals(Optional.empty(), Durations.parse(null, true));
        assertEquals(Optional.empty(), Durations.parse("999999999999d", true), "past a long of milliseconds");
    }

    @Test
    void writtenBackInTheLargestWholeUnit() {
        assertEquals("5m", Durations.format(300));
        assertEquals("1500ms", Durations.formatMillis(1500));
        assertEquals("30d", Durations.format(Duration.ofDays(30)));
        assertEquals("2h", Durations.format(Duration.ofHours(2)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }
}
