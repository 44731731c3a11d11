package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.VersionOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What every {@link OutcomeStore} does, run against the shared one (PostgreSQL) and the one in memory the controller's
 * tests use: per-second buckets summed over nodes, windows that slide with "now", consecutive windows newest first,
 * totals that restart with the strategy, reports of an older strategy left out.
 */
abstract class OutcomeStoreContract {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    abstract OutcomeStore store();

    /** The store's reset, in whatever transaction it needs. */
    abstract void reset(String model, Instant since, long revision);

    static OutcomeReport report(String node, long revision, Instant to, long requests, long errors) {
        return report(node, revision, to, "1.1.0", requests, errors, 2.0);
    }

    static OutcomeReport report(String node, long revision, Instant to, String version, long requests, long errors,
                                double latencyMs) {
        long[] counts = new long[LatencyHistogram.bucketOf(latencyMs) + 1];
        counts[LatencyHistogram.bucketOf(latencyMs)] = requests;
        return new OutcomeReport(node, revision, to.minusSeconds(1), to, List.of(new VersionOutcome("iris", version,
                RouteTarget.Role.CANARY, requests, errors, new LatencyHistogram(counts, requests * latencyMs))),
                List.of());
    }

    @Test
    void windowsSumNodesAndSlide() {
        reset("iris", T0, 1);
        store().accept(report("a", 1, T0.plusMillis(500), 10, 1));
        store().accept(report("b", 1, T0.plusMillis(900), 5, 5));
        store().accept(report("a", 1, T0.plusSeconds(5), 7, 0));

        CanaryWindow w = store().window("iris", "1.1.0", 10, T0.plusSeconds(5));
        assertEquals(22, w.requests());
        assertEquals(6, w.errors());
        assertEquals(22, w.latency().count(), "the histograms are summed too");
        // at T0+10 s the window (0, 10] no longer holds second 0
        assertEquals(7, store().window("iris", "1.1.0", 10, T0.plusSeconds(10)).requests());
        assertEquals(0, store().window("iris", "1.1.0", 10, T0.plusSeconds(15)).requests());
        assertEquals(0, store().window("iris", "9.9.9", 10, T0).requests());
    }

    @Test
    void consecutiveWindowsComeNewestFirst() {
        reset("iris", T0, 1);
        store().accept(report("a", 1, T0.plusSeconds(1), 3, 0));   // window 2: (T0+0, T0+10]
        store().accept(report("a", 1, T0.plusSeconds(15), 5, 1));  // window 1: (T0+10, T0+20]
        store().accept(report("b", 1, T0.plusSeconds(30), 8, 8));  // window 0: (T0+20, T0+30]
        List<CanaryWindow> w = store().windows("iris", "1.1.0", 10, 4, T0.plusSeconds(30));
        assertEquals(List.of(8L, 5L, 3L, 0L), w.stream().map(CanaryWindow::requests).toList());
        assertEquals(List.of(8L, 1L, 0L, 0L), w.stream().map(CanaryWindow::errors).toList());
        assertEquals(10, w.getFirst().seconds());
    }

    @Test
    void totalsRestartWithANewStrategy() {
        store().accept(report("a", 1, T0, 10, 1));
        reset("iris", T0.plusSeconds(1), 2);
        store().accept(report("a", 2, T0.plusSeconds(2), 3, 0));
        store().accept(report("a", 2, T0.plusSeconds(3), "1.0.0", 30, 0, 1.0));
        assertEquals(List.of("1.1.0", "1.0.0"), List.copyOf(store().totals("iris").keySet()),
                "in the order versions first reported");
        assertEquals(3, store().totals("iris").get("1.1.0").requests());
        assertEquals(30, store().totals("iris").get("1.0.0").requests());
        assertEquals(T0.plusSeconds(1), store().since("iris"));
        assertNull(store().since("never-reported"));
    }

    @Test
    void aRetriedCanaryIsNotJudgedByItsPredecessorsErrors() {
        reset("iris", T0, 5);
        // the first canary of 1.1.0 failed: its errors sit in the window's seconds
        store().accept(report("a", 5, T0.plusSeconds(1), 100, 60));
        reset("iris", T0.plusSeconds(2), 7); // revision 7 starts the canary again
        // a late report from a node still on revision 5 is about the old canary
        store().accept(report("b", 5, T0.plusSeconds(3), 50, 50));
        store().accept(report("a", 7, T0.plusSeconds(3), 20, 0));

        CanaryWindow w = store().window("iris", "1.1.0", 10, T0.plusSeconds(3));
        assertEquals(20, w.requests());
        assertEquals(0, w.errors());
        assertEquals(20, store().totals("iris").get("1.1.0").requests());
    }

    @Test
    void canaryErrorRatesCoverTheVersionsOfModelsUnderACanaryOnly() {
        reset("iris", T0, 1);
        store().accept(report("a", 1, T0.plusMillis(500), 10, 1));
        store().accept(report("b", 1, T0.plusMillis(900), 10, 4));
        io.modelmesh.api.ModelRoute underCanary = new io.modelmesh.api.ModelRoute("iris", List.of(
                new RouteTarget("1.0.0", "onnx", "a".repeat(64), 1, 90, RouteTarget.Role.STABLE, null),
                new RouteTarget("1.1.0", "onnx", "b".repeat(64), 1, 10, RouteTarget.Role.CANARY, null)), null, null);
        assertEquals(java.util.Map.of(List.of("iris", "1.1.0"), 0.25), store().canaryErrorRates(
                new io.modelmesh.api.RoutingTable(1, T0, java.util.Map.of("iris", underCanary))));
        io.modelmesh.api.ModelRoute promoted = new io.modelmesh.api.ModelRoute("iris", List.of(
                new RouteTarget("1.1.0", "onnx", "b".repeat(64), 1, 100, RouteTarget.Role.STABLE, null)), null, null);
        assertEquals(java.util.Map.of(), store().canaryErrorRates(new io.modelmesh.api.RoutingTable(2, T0,
                java.util.Map.of("iris", promoted))), "no canary, no series");
    }
}
