package io.modelmesh.dataplane.outcomes;

import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.dataplane.TestModels;
import io.modelmesh.dataplane.TestModels.HandClock;
import io.modelmesh.dataplane.TestModels.SumModel;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.shadow.ShadowComparison;
import io.modelmesh.dataplane.shadow.ShadowLedger;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.api.RouteTarget;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windows are exact deltas, a failed post is merged into the next, roles come from the served table. */
class OutcomeReporterTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final HandClock clock = new HandClock(T0);
    private final OutcomeRecorder recorder = new OutcomeRecorder();
    private final ShadowLedger ledger = new ShadowLedger();
    private final List<OutcomeReport> sent = new ArrayList<>();
    private volatile boolean failing;
    private volatile ServingTable table = table();
    private final OutcomeReporter reporter = new OutcomeReporter("n1", recorder, ledger, () -> table, r -> {
        if (failing) {
            throw new IOException("control plane down");
        }
        sent.add(r);
    }, clock, Duration.ofSeconds(1));

    private static ServingTable table() {
        Map<RouteTarget, LoadedModel> m = new LinkedHashMap<>();
        m.put(TestModels.target("1.0.0", 90, Role.STABLE, null), new SumModel(1, null));
        m.put(TestModels.target("2.0.0", 10, Role.CANARY, null), new SumModel(1, null));
        return TestModels.table(m);
    }

    private static VersionOutcome version(OutcomeReport r, String v) {
        return r.versions().stream().filter(o -> o.version().equals(v)).findFirst().orElse(null);
    }

    private void record(String version, int n, int errors, long nanos) {
        for (int i = 0; i < n; i++) {
            recorder.record("m", version, nanos, i < errors);
        }
    }

    @Test
    void everyRequestLandsInExactlyOneWindow() {
        record("1.0.0", 7, 1, 2_000_000);
        clock.advance(Duration.ofSeconds(1));
        OutcomeReport first = reporter.tick();
        assertEquals(T0, first.from());
        assertEquals(T0.plusSeconds(1), first.to());
        assertEquals(1, first.servingRevision());
        assertEquals("n1", first.nodeId());
        assertEquals(7, version(first, "1.0.0").requests());
        assertEquals(1, version(first, "1.0.0").errors());
        assertEquals(7, version(first, "1.0.0").latency().count());
        assertEquals(14.0, version(first, "1.0.0").latency().sumMs(), 1e-9);
        assertNull(version(first, "2.0.0"), "a version without requests is left out");

        record("1.0.0", 3, 0, 1_000_000);
        record("2.0.0", 2, 2, 50_000_000);
        clock.advance(Duration.ofSeconds(1));
        OutcomeReport second = reporter.tick();
        assertEquals(T0.plusSeconds(1), second.from());
        assertEquals(3, version(second, "1.0.0").requests());
        assertEquals(0, version(second, "1.0.0").errors());
        assertEquals(3, version(second, "1.0.0").latency().count());
        assertEquals(2, version(second, "2.0.0").errors());
        assertTrue(version(second, "2.0.0").latency().quantileMs(0.99) >= 50);

        clock.advance(Duration.ofSeconds(1));
        assertNull(reporter.tick(), "an empty window is not sent");
        assertEquals(2, sent.size());
    }

    @Test
    void aFailedPostIsMergedIntoTheNextReport() {
        record("1.0.0", 5, 2, 1_000_000);
        failing = true;
        clock.advance(Duration.ofSeconds(1));
        assertNull(reporter.tick());
        record("1.0.0", 4, 1, 3_000_000);
        ledger.mirrored(new ShadowLedger.Key("m", "3.0.0", "1.0.0"));
        clock.advance(Duration.ofSeconds(1));
        assertNull(reporter.tick());
        ledger.mirrored(new ShadowLedger.Key("m", "3.0.0", "1.0.0"));
        ledger.compared(new ShadowLedger.Key("m", "3.0.0", "1.0.0"), new ShadowComparison(true, 2, 0.5, 0.3), 1.5,
                () -> new io.modelmesh.api.ShadowSample(T0, "r1", "{}", "{}", "{}", null, true, 0.3, 1, 2.5));
        failing = false;
        clock.advance(Duration.ofSeconds(1));
        OutcomeReport merged = reporter.tick();
        assertEquals(T0, merged.from(), "the merged report covers the windows that were not accepted");
        assertEquals(9, version(merged, "1.0.0").requests());
        assertEquals(3, version(merged, "1.0.0").errors());
        assertEquals(9, version(merged, "1.0.0").latency().count());
        assertEquals(17.0, version(merged, "1.0.0").latency().sumMs(), 1e-9);
        ShadowOutcome shadow = merged.shadows().getFirst();
        assertEquals(2, shadow.mirrored());
        assertEquals(1, shadow.compared());
        assertEquals(1, shadow.labelAgreements());
        assertEquals(0.3, shadow.maxAbsDiff());
        assertEquals(1, shadow.samples().size());

        clock.advance(Duration.ofSeconds(1));
        assertNull(reporter.tick(), "nothing is sent twice");
        assertEquals(1, sent.size());
    }

    @Test
    void rolesComeFromTheServedTable() {
        record("1.0.0", 1, 0, 1_000);
        record("2.0.0", 1, 0, 1_000);
        record("0.9.0", 1, 0, 1_000);
        OutcomeReport r = reporter.tick();
        assertEquals(Role.STABLE, version(r, "1.0.0").role());
        assertEquals(Role.CANARY, version(r, "2.0.0").role());
        assertNull(version(r, "0.9.0").role(), "a version the table no longer names has no role");
    }

    @Test
    void aWindowNeverSpansTwoRevisions() {
        record("2.0.0", 5, 5, 1_000_000); // a canary failing under revision 1
        clock.advance(Duration.ofMillis(300));
        ServingTable leaving = table;
        reporter.cut(leaving); // the node switches to revision 2 (say, the canary retried)
        table = new ServingTable(new io.modelmesh.api.RoutingTable(2, T0, leaving.table().models()),
                leaving.models());
        record("2.0.0", 3, 0, 1_000_000);
        assertEquals(List.of(), sent, "a cut sends nothing: it runs inside the switch");

        clock.advance(Duration.ofMillis(700));
        OutcomeReport last = reporter.tick();
        assertEquals(2, sent.size(), "the closed window first, then the current one");
        OutcomeReport before = sent.get(0);
        assertEquals(1, before.servingRevision());
        assertEquals(T0.plusMillis(300), before.to());
        assertEquals(5, version(before, "2.0.0").errors());
        assertEquals(2, last.servingRevision());
        assertEquals(T0.plusMillis(300), last.from());
        assertEquals(3, version(last, "2.0.0").requests());
        assertEquals(0, version(last, "2.0.0").errors(), "revision 2 does not inherit revision 1's errors");
    }

    @Test
    void sampledFeatureRowsTravelWithTheWindowAndAFailedPostKeepsThemBounded() {
        List<List<io.modelmesh.api.FeatureRows>> samples = new ArrayList<>();
        samples.add(List.of(new io.modelmesh.api.FeatureRows("m", "1.0.0", List.of(new float[]{1, 2},
                new float[]{3, 4}), 10, 1)));
        samples.add(List.of(new io.modelmesh.api.FeatureRows("m", "1.0.0", List.of(new float[]{5, 6}), 5, 2)));
        java.util.Iterator<List<io.modelmesh.api.FeatureRows>> next = samples.iterator();
        OutcomeReporter withRows = new OutcomeReporter("n1", recorder, ledger,
                () -> next.hasNext() ? next.next() : List.of(), () -> table, r -> {
                    if (failing) {
                        throw new IOException("control plane down");
                    }
                    sent.add(r);
                }, clock, Duration.ofSeconds(1));
        failing = true;
        clock.advance(Duration.ofSeconds(1));
        assertNull(withRows.tick(), "not accepted");
        failing = false;
        clock.advance(Duration.ofSeconds(1));
        OutcomeReport r = withRows.tick();
        assertEquals(1, r.features().size());
        io.modelmesh.api.FeatureRows f = r.features().getFirst();
        assertEquals(15, f.seen());
        assertEquals(3, f.dropped());
        assertEquals(2, f.rows().size(), "merged windows keep at most the larger sample");
        assertEquals(5f, f.rows().getFirst()[0], "the newer window's rows first");
        assertEquals(T0.plusSeconds(0), r.from());
        clock.advance(Duration.ofSeconds(1));
        assertNull(withRows.tick(), "no rows, no requests: nothing to send");
    }
}
