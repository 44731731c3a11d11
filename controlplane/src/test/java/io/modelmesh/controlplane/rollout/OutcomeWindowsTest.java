package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.VersionOutcome;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-second buckets summed over nodes, windows that slide with "now", totals that restart with the strategy. */
class OutcomeWindowsTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    final OutcomeWindows windows = new OutcomeWindows(Clock.fixed(T0, ZoneOffset.UTC));

    static OutcomeReport report(String node, Instant to, long requests, long errors) {
        return report(node, 1, to, requests, errors);
    }

    static OutcomeReport report(String node, long revision, Instant to, long requests, long errors) {
        return report(node, revision, to.minusSeconds(1), to, requests, errors);
    }

    static OutcomeReport report(String node, long revision, Instant from, Instant to, long requests, long errors) {
        return new OutcomeReport(node, revision, from, to, List.of(new VersionOutcome("iris", "1.1.0",
                RouteTarget.Role.CANARY, requests, errors, LatencyHistogram.empty())), List.of());
    }

    @Test
    void canaryErrorRatesCoverTheVersionsOfModelsUnderACanaryOnly() {
        windows.accept(report("a", T0.plusMillis(500), 10, 1));
        windows.accept(report("b", T0.plusMillis(900), 10, 4));
        ModelRoute underCanary = new ModelRoute("iris", List.of(
                new RouteTarget("1.0.0", "onnx", "a".repeat(64), 1, 90, RouteTarget.Role.STABLE, null),
                new RouteTarget("1.1.0", "onnx", "b".repeat(64), 1, 10, RouteTarget.Role.CANARY, null)), null, null);
        assertEquals(Map.of(List.of("iris", "1.1.0"), 0.25),
                windows.canaryErrorRates(new RoutingTable(1, T0, Map.of("iris", underCanary))));
        ModelRoute promoted = new ModelRoute("iris", List.of(
                new RouteTarget("1.1.0", "onnx", "b".repeat(64), 1, 100, RouteTarget.Role.STABLE, null)), null, null);
        assertEquals(Map.of(), windows.canaryErrorRates(new RoutingTable(2, T0, Map.of("iris", promoted))),
                "no canary, no series");
    }

    @Test
    void windowsSumNodesAndSlide() {
        windows.accept(report("a", T0.plusMillis(500), 10, 1));
        windows.accept(report("b", T0.plusMillis(900), 5, 5));
        windows.accept(report("a", T0.plusSeconds(5), 7, 0));

        CanaryWindow w = windows.window("iris", "1.1.0", 10, T0.plusSeconds(5));
        assertEquals(22, w.requests());
        assertEquals(6, w.errors());
        // at T0+10 s the window (0, 10] no longer holds second 0
        assertEquals(7, windows.window("iris", "1.1.0", 10, T0.plusSeconds(10)).requests());
        assertEquals(0, windows.window("iris", "1.1.0", 10, T0.plusSeconds(15)).requests());
        assertEquals(0, windows.window("iris", "9.9.9", 10, T0).requests());
        windows.accept(report("a", T0.plusSeconds(5 - OutcomeWindows.RING_SECONDS), 4, 0));
        assertEquals(1, windows.tooOld(), "a report older than the kept history");
    }

    @Test
    void totalsRestartWithANewStrategyAndOldBucketsAreNotReused() {
        windows.accept(report("a", T0, 10, 1));
        windows.reset("iris", T0.plusSeconds(1), 1);
        windows.accept(report("a", T0.plusSeconds(2), 3, 0));
        assertEquals(3, windows.totals("iris").get("1.1.0").requests());
        assertEquals(T0.plusSeconds(1), windows.since("iris"));

        // a report a whole ring later lands in the same slot without adding the old second's counts
        windows.accept(report("a", T0.plusSeconds(OutcomeWindows.RING_SECONDS), 4, 0));
        assertEquals(4, windows.window("iris", "1.1.0", 1, T0.plusSeconds(OutcomeWindows.RING_SECONDS)).requests());
    }

    @Test
    void aRetriedCanaryIsNotJudgedByItsPredecessorsErrors() {
        // the first canary of 1.1.0 failed: its errors sit in the window's seconds
        windows.accept(report("a", 5, T0.plusSeconds(1), 100, 60));
        windows.reset("iris", T0.plusSeconds(2), 7); // revision 7 starts the canary again
        // a late report from a node still on revision 5 is about the old canary
        windows.accept(report("b", 5, T0.plusSeconds(3), 50, 50));
        windows.accept(report("a", 7, T0.plusSeconds(3), 20, 0));

        CanaryWindow w = windows.window("iris", "1.1.0", 10, T0.plusSeconds(3));
        assertEquals(20, w.requests());
        assertEquals(0, w.errors());
        assertEquals(1, windows.stale());
    }
}
