package io.modelmesh.controlplane.monitoring;

import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.LatencyReport;
import io.modelmesh.api.LatencyWindow;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.VersionLatency;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.controlplane.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ten-second buckets merged over nodes; 1, 5 and 15 minute windows sliding with the clock; bounded by pruning. */
class LatencyWindowsTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    final MutableClock clock = new MutableClock(T0);
    final LatencyWindows windows = new LatencyWindows(clock);

    /** {@code requests} requests of {@code ms} each, {@code errors} of them failed. */
    static OutcomeReport report(String node, String version, long requests, long errors, double ms) {
        long[] counts = new long[LatencyHistogram.bucketOf(ms) + 1];
        counts[LatencyHistogram.bucketOf(ms)] = requests;
        return new OutcomeReport(node, 1, T0, T0, List.of(new VersionOutcome("iris", version, RouteTarget.Role.STABLE,
                requests, errors, new LatencyHistogram(counts, requests * ms))), List.of());
    }

    static LatencyWindow window(Map<String, List<LatencyWindow>> w, String version, int minutes) {
        return w.get(version).stream().filter(x -> x.minutes() == minutes).findFirst().orElseThrow();
    }

    @Test
    void nodesAreMergedAndTheQuantilesComeFromTheMergedHistogram() {
        windows.accept(report("a", "1.0.0", 90, 0, 1.0));
        windows.accept(report("b", "1.0.0", 10, 2, 50.0));
        LatencyWindow one = window(windows.windows("iris", clock.instant()), "1.0.0", 1);
        assertEquals(100, one.requests());
        assertEquals(2, one.errors());
        assertEquals(0.02, one.errorRate(), 1e-12);
        assertEquals(LatencyHistogram.upperBoundMs(LatencyHistogram.bucketOf(1.0)), one.p50Ms(), 1e-12);
        assertEquals(LatencyHistogram.upperBoundMs(LatencyHistogram.bucketOf(50.0)), one.p95Ms(), 1e-12);
        assertEquals(LatencyHistogram.upperBoundMs(LatencyHistogram.bucketOf(50.0)), one.p99Ms(), 1e-12);
        assertTrue(one.p99Ms() >= 50 && one.p99Ms() <= 55, "within a bucket's 10 %: " + one.p99Ms());
    }

    @Test
    void windowsSlideWithTheClock() {
        windows.accept(report("a", "1.0.0", 10, 0, 2));       // at 10:00:00
        clock.advance(Duration.ofMinutes(3));
        windows.accept(report("a", "1.0.0", 20, 1, 2));       // at 10:03:00
        clock.advance(Duration.ofMinutes(3));
        windows.accept(report("a", "1.0.0", 40, 4, 2));       // at 10:06:00
        Map<String, List<LatencyWindow>> w = windows.windows("iris", clock.instant());
        assertEquals(40, window(w, "1.0.0", 1).requests());
        assertEquals(60, window(w, "1.0.0", 5).requests(), "10:03 and 10:06");
        assertEquals(70, window(w, "1.0.0", 15).requests());
        assertEquals(5, window(w, "1.0.0", 15).errors());

        // 55 s later the last report is still within the minute (its bucket is the oldest of six); 60 s later not
        assertEquals(40, window(windows.windows("iris", clock.instant().plusSeconds(55)), "1.0.0", 1).requests());
        assertEquals(0, window(windows.windows("iris", clock.instant().plusSeconds(60)), "1.0.0", 1).requests());
        LatencyWindow quiet = window(windows.windows("iris", clock.instant().plusSeconds(60)), "1.0.0", 1);
        assertNull(quiet.p50Ms(), "no requests, no quantiles");
        assertEquals(0, quiet.errorRate());
    }

    @Test
    void versionsAndModelsQuietFor15MinutesAreDropped() {
        windows.accept(report("a", "1.0.0", 10, 0, 2));
        clock.advance(Duration.ofMinutes(10));
        windows.accept(report("a", "1.1.0", 10, 0, 2));
        assertEquals(Set.of("1.0.0", "1.1.0"), windows.windows("iris", clock.instant()).keySet());
        clock.advance(Duration.ofMinutes(5));
        assertEquals(Set.of("1.1.0"), windows.windows("iris", clock.instant()).keySet());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Set.of(), windows.models(clock.instant()));
    }

    @Test
    void aSlotReusedAfterTheRingWrapsStartsFromZero() {
        windows.accept(report("a", "1.0.0", 10, 0, 2));
        clock.advance(Duration.ofSeconds(LatencyWindows.BUCKETS * LatencyWindows.BUCKET_SECONDS - 10));
        windows.accept(report("a", "1.0.0", 1, 0, 2)); // keeps the version alive
        clock.advance(Duration.ofSeconds(10));         // the first report's slot index comes round again
        windows.accept(report("a", "1.0.0", 3, 0, 2));
        assertEquals(4, window(windows.windows("iris", clock.instant()), "1.0.0", 15).requests());
    }

    @Test
    void reportsListRoutedVersionsFirstWithRolesThenOthers() {
        windows.accept(report("a", "0.9.0", 5, 0, 2));
        windows.accept(report("a", "1.1.0", 5, 0, 2));
        ModelSchema schema = ModelSchema.empty();
        ModelRoute route = new ModelRoute("iris", List.of(
                new RouteTarget("1.0.0", "onnx", "a".repeat(64), 1, 90, RouteTarget.Role.STABLE, schema),
                new RouteTarget("1.1.0", "onnx", "b".repeat(64), 1, 10, RouteTarget.Role.CANARY, schema)), null);
        LatencyReport r = new LatencyReports(windows).of("iris", route, clock.instant());
        assertEquals(List.of("1.0.0", "1.1.0", "0.9.0"), r.versions().stream().map(VersionLatency::version).toList());
        VersionLatency stable = r.versions().getFirst();
        assertEquals(RouteTarget.Role.STABLE, stable.role());
        assertEquals(90, stable.weight());
        assertEquals(List.of(1, 5, 15), stable.windows().stream().map(LatencyWindow::minutes).toList());
        assertEquals(0, stable.windows().getFirst().requests());
        assertEquals(5, r.versions().get(1).windows().getFirst().requests());
        assertNull(r.versions().get(2).role());

        RoutingTable table = new RoutingTable(3, T0, Map.of("iris", route, "quiet", new ModelRoute("quiet",
                List.of(), null)));
        assertEquals(List.of("iris", "quiet"), new LatencyReports(windows).all(table, clock.instant()).stream()
                .map(LatencyReport::model).toList());
    }
}
