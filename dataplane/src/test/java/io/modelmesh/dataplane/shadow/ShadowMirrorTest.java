package io.modelmesh.dataplane.shadow;

import io.modelmesh.metrics.PrometheusText;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.ShadowSample;
import io.modelmesh.dataplane.Await;
import io.modelmesh.dataplane.TestModels;
import io.modelmesh.dataplane.TestModels.HandClock;
import io.modelmesh.dataplane.TestModels.SumModel;
import io.modelmesh.dataplane.inference.PredictionRequest;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.LoadedModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shadow worker off the request path: drops when full, compares, samples disagreements first. */
class ShadowMirrorTest {
    private final PredictionMetrics metrics = new PredictionMetrics();
    private final ShadowLedger ledger = new ShadowLedger();
    private final SumModel primaryModel = new SumModel(1, null);
    private ShadowMirror mirror;

    @AfterEach
    void stop() {
        if (mirror != null) {
            mirror.close();
        }
    }

    private ShadowMirror start(int capacity, LoadedModel shadowModel) {
        Map<RouteTarget, LoadedModel> m = new LinkedHashMap<>();
        m.put(TestModels.target("1.0.0", 100, Role.STABLE, null), primaryModel);
        m.put(TestModels.target("2.0.0", 100, Role.SHADOW, null), shadowModel);
        ServingTable table = TestModels.table(m);
        mirror = new ShadowMirror(capacity, () -> table, ledger, metrics, new HandClock(Instant.EPOCH)).start();
        return mirror;
    }

    private void offer(String shadowVersion, float a, float b) {
        PredictionRequest req = TestModels.row(a, b, Map.of());
        BatchResult primary = primaryModel.predict(new FloatBatch(new float[]{a, b}, 1, 2));
        mirror.offer("m", shadowVersion, "1.0.0", req, primary, 1_000_000);
    }

    private long events(String result) {
        return (long) PrometheusText.valueOrZero(metrics.render(), "shadow_events_total", Map.of("model", "m",
                "version", "2.0.0", "result", result));
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        SumModel shadow = new SumModel(1, gate);
        start(2, shadow);
        offer("2.0.0", 1, 1);
        assertTrue(shadow.entered.await(10, TimeUnit.SECONDS), "worker took the first task and is held");
        for (int i = 0; i < 5; i++) {
            offer("2.0.0", 1, 1); // two fit in the queue, three are dropped
        }
        assertEquals(2, mirror.queued());
        assertEquals(3, events("dropped"));
        gate.countDown();
        Await.until(() -> events("compared") == 3, Duration.ofSeconds(10), "the three queued tasks to be compared");
        ShadowOutcome o = ledger.drain().getFirst();
        assertEquals(3, o.mirrored());
        assertEquals(3, o.dropped());
        assertEquals(3, o.compared());
        assertEquals(0, o.failed());
        assertEquals(3, events("mirrored"));
    }

    @Test
    void comparesAnswersAndKeepsDisagreementsFirst() {
        start(64, new SumModel(3, null));
        for (int i = 0; i < 10; i++) {
            offer("2.0.0", 0.5f, 0.5f); // 1 vs 3: both "small"
        }
        offer("2.0.0", 2, 2); // 4 "small" vs 12 "big"
        offer("2.0.0", 1, 3);
        Await.until(() -> events("compared") == 12, Duration.ofSeconds(10), "12 comparisons");
        ShadowOutcome o = ledger.drain().getFirst();
        assertEquals("1.0.0", o.primaryVersion());
        assertEquals(12, o.compared());
        assertEquals(12, o.labelComparisons());
        assertEquals(10, o.labelAgreements());
        assertEquals(12, o.numericValues());
        assertEquals(8.0, o.maxAbsDiff(), 1e-6);
        assertEquals(10 * 2.0 + 2 * 8.0, o.sumAbsDiff(), 1e-4);
        List<ShadowSample> s = o.samples();
        assertEquals(ShadowLedger.MAX_SAMPLES, s.size());
        assertEquals(Boolean.FALSE, s.get(0).labelsAgree());
        assertEquals(Boolean.FALSE, s.get(1).labelsAgree());
        assertEquals(Boolean.TRUE, s.get(2).labelsAgree());
        assertTrue(s.get(0).input().contains("2.0"), s.get(0).input());
        assertTrue(s.get(0).shadowOutput().contains("\"big\""), s.get(0).shadowOutput());
        assertTrue(s.get(0).primaryOutput().contains("\"small\""), s.get(0).primaryOutput());
        assertTrue(ledger.drain().isEmpty(), "a drained window is not reported again");
    }

    @Test
    void aShadowThatCannotRunCountsAsFailedWithWhy() {
        start(8, new SumModel(1, null));
        offer("9.9.9", 1, 1);
        Await.until(() -> PrometheusText.valueOrZero(metrics.render(), "shadow_events_total", Map.of("model", "m",
                        "version", "9.9.9", "result", "failed")) == 1, Duration.ofSeconds(10),
                "the failure to be counted");
        ShadowOutcome o = ledger.drain().getFirst();
        assertEquals(1, o.failed());
        assertEquals(0, o.compared());
        assertTrue(o.samples().getFirst().shadowError().contains("no longer served"), o.samples().toString());
        assertNull(o.samples().getFirst().shadowOutput());
    }

    @Test
    void samplesCutTheInputTo2KiB() {
        start(8, new SumModel(1, null));
        String big = "x".repeat(10_000);
        PredictionRequest req = new PredictionRequest() {
            @Override
            public io.modelmesh.dataplane.inference.ParsedInput parse(io.modelmesh.dataplane.inference.InputBinding b) {
                return new io.modelmesh.dataplane.inference.ParsedInput(new FloatBatch(new float[]{1, 1}, 1, 2), true);
            }

            @Override
            public String bodyText() {
                return big;
            }
        };
        mirror.offer("m", "2.0.0", "1.0.0", req, primaryModel.predict(new FloatBatch(new float[]{1, 1}, 1, 2)), 1);
        Await.until(() -> events("compared") == 1, Duration.ofSeconds(10), "the comparison");
        assertEquals(ShadowMirror.MAX_SAMPLE_INPUT, ledger.drain().getFirst().samples().getFirst().input().length());
    }
}
