package io.modelmesh.dataplane.inference;

import io.modelmesh.metrics.PrometheusText;
import io.modelmesh.api.Fault;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.InjectedFaultException;
import io.modelmesh.dataplane.TestModels;
import io.modelmesh.dataplane.TestModels.SumModel;
import io.modelmesh.dataplane.admission.AdmissionDefaults;
import io.modelmesh.dataplane.cache.CacheEvents;
import io.modelmesh.dataplane.cache.MemoryCache;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.outcomes.OutcomeRecorder;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.shadow.ShadowLedger;
import io.modelmesh.dataplane.shadow.ShadowMirror;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.server.errors.DeadlineExceededException;
import io.modelmesh.server.errors.OverloadedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission control in the serving core, unbatched and batched alike: a bounded number of requests at once, a bounded
 * queue refused at once, deadlines that end every wait, outcome windows that count a shed request against its version,
 * and fallbacks marked degraded. Engines are in-memory models held on a latch; no HTTP, no sleeps.
 */
class AdmissionServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final OutcomeRecorder outcomes = new OutcomeRecorder();
    private final PredictionMetrics metrics = new PredictionMetrics();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<ServingTable> table = new AtomicReference<>();

    @AfterEach
    void open() {
        release.countDown();
        ServingTable t = table.get();
        if (t != null) {
            t.models().values().forEach(m -> m.versions().values().forEach(v -> {
                if (v.batcher() != null) {
                    v.batcher().close();
                }
            }));
        }
    }

    private PredictionService service(ServingPolicy policy, Fault fault) {
        Map<RouteTarget, LoadedModel> m = new LinkedHashMap<>();
        m.put(TestModels.target("1.0.0", 100, Role.STABLE, fault), new SumModel(1, release));
        table.set(TestModels.table(m, policy, new AdmissionDefaults(1, 1, 1, 0, 0, null)));
        ShadowMirror mirror = new ShadowMirror(16, table::get, new ShadowLedger(), metrics, Clock.systemUTC());
        return new PredictionService(table::get, metrics, new MemoryCache(1 << 20, CacheEvents.NONE),
                Clock.systemUTC(), () -> 0.5, outcomes, mirror);
    }

    private static CompletableFuture<PredictionService.Outcome> later(PredictionService s, float a,
                                                                      PredictionRequest r) {
        CompletableFuture<PredictionService.Outcome> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(s.predict("m", null, r));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private int running() {
        return table.get().models().get("m").versions().get("1.0.0").admission().gate().running();
    }

    private int waiting() {
        return table.get().models().get("m").versions().get("1.0.0").admission().gate().waiting();
    }

    private static Object output(PredictionService.Outcome o, String name) {
        return o.result().outputs().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().data();
    }

    private OutcomeRecorder.Totals totals() {
        return outcomes.snapshot().get(new OutcomeRecorder.Key("m", "1.0.0"));
    }

    @Test
    void batchSizeOneRunsBoundedAndRefusesAFullQueueAtOnce() throws Exception {
        PredictionService s = service(ServingPolicy.defaults().withAdmission(1, 1, 60_000), null);
        CompletableFuture<PredictionService.Outcome> first = later(s, 1, TestModels.row(1, 2, Map.of()));
        await().atMost(WAIT).until(() -> running() == 1);
        CompletableFuture<PredictionService.Outcome> second = later(s, 3, TestModels.row(3, 4, Map.of()));
        await().atMost(WAIT).until(() -> waiting() == 1);

        OverloadedException full = assertThrows(OverloadedException.class,
                () -> s.predict("m", null, TestModels.row(5, 6, Map.of())));
        assertEquals(429, full.status());
        assertEquals(1, full.retryAfterSeconds());
        assertTrue(full.getMessage().contains("1 requests are already waiting (max_queue)"), full.getMessage());
        assertFalse(first.isDone() || second.isDone());

        release.countDown();
        assertEquals(3f, ((float[]) first.get(20, TimeUnit.SECONDS).result().outputs().get(0).data())[0]);
        assertEquals(7f, ((float[]) second.get(20, TimeUnit.SECONDS).result().outputs().get(0).data())[0]);
        assertEquals(1, PrometheusText.valueOrZero(metrics.render(), "requests_rejected_total", Map.of("model", "m",
                "reason", "queue_full")), metrics.render());
        OutcomeRecorder.Totals t = totals();
        assertEquals(3, t.requests(), "the shed request is an outcome of the version");
        assertEquals(1, t.errors(), "and counts against it");
    }

    @Test
    void aRequestStillWaitingAtItsDeadlineIsRefusedWith503() throws Exception {
        PredictionService s = service(ServingPolicy.defaults().withAdmission(1, 8, 150), null);
        CompletableFuture<PredictionService.Outcome> first = later(s, 1, TestModels.row(1, 2, Map.of()));
        await().atMost(WAIT).until(() -> running() == 1);
        long start = System.nanoTime();
        DeadlineExceededException late = assertThrows(DeadlineExceededException.class,
                () -> s.predict("m", null, TestModels.row(3, 4, Map.of())));
        long waited = System.nanoTime() - start;
        assertEquals(503, late.status());
        assertTrue(late.getMessage().contains("150 ms"), late.getMessage());
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(140) && waited < TimeUnit.SECONDS.toNanos(10),
                "waited for the deadline: " + waited / 1_000_000 + " ms");
        release.countDown();
        assertTrue(first.get(20, TimeUnit.SECONDS).result() != null, "a turn that began runs to its end");
        assertEquals(1, PrometheusText.valueOrZero(metrics.render(), "requests_rejected_total", Map.of("model", "m",
                "reason", "deadline_passed")), metrics.render());
    }

    @Test
    void theCallersTimeoutShortensTheDeadlineButNeverLengthensIt() throws Exception {
        PredictionService s = service(ServingPolicy.defaults().withAdmission(1, 8, 60_000), null);
        later(s, 1, TestModels.row(1, 2, Map.of()));
        await().atMost(WAIT).until(() -> running() == 1);
        long start = System.nanoTime();
        assertThrows(DeadlineExceededException.class,
                () -> s.predict("m", null, TestModels.row(3, 4, Duration.ofMillis(100))));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "100 ms, not the policy's minute");

        PredictionService strict = service(ServingPolicy.defaults().withAdmission(1, 8, 100), null);
        later(strict, 1, TestModels.row(1, 2, Map.of()));
        await().atMost(WAIT).until(() -> running() == 1);
        long begin = System.nanoTime();
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> strict.predict("m", null, TestModels.row(3, 4, Duration.ofMinutes(5))));
        assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(30), "a longer ask is capped by the policy");
        assertTrue(e.getMessage().contains("100 ms"), e.getMessage());
    }

    @Test
    void batchedVersionsGoThroughTheSameGateAndDeadlines() throws Exception {
        PredictionService s = service(new ServingPolicy(8, 0, 0).withAdmission(1, 1, 60_000), null);
        CompletableFuture<PredictionService.Outcome> first = later(s, 1, TestModels.row(1, 2, Map.of()));
        await().atMost(WAIT).until(() -> running() == 1);
        later(s, 3, TestModels.row(3, 4, Map.of()));
        await().atMost(WAIT).until(() -> waiting() == 1);
        assertThrows(OverloadedException.class, () -> s.predict("m", null, TestModels.row(5, 6, Map.of())));
        release.countDown();
        assertEquals(3f, ((float[]) first.get(20, TimeUnit.SECONDS).result().outputs().get(0).data())[0]);
    }

    @Test
    void theBatchedWaitForAnAnswerEndsAtTheDeadline() throws Exception {
        PredictionService s = service(new ServingPolicy(8, 0, 0).withAdmission(4, 8, 150), null);
        later(s, 1, TestModels.row(1, 2, Map.of())); // the batch running: held on the latch
        await().atMost(WAIT).until(() -> running() == 1);
        long start = System.nanoTime();
        assertThrows(DeadlineExceededException.class, () -> s.predict("m", null, TestModels.row(3, 4, Map.of())),
                "admitted, but its batch cannot start before the deadline");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void aDefaultFallbackAnswersForAShedRequestMarkedDegraded() throws Exception {
        ServingPolicy policy = ServingPolicy.defaults().withAdmission(1, 1, 60_000)
                .withFallback(ServingPolicy.Fallback.DEFAULT, Map.of("score", -1, "label", "unknown"));
        PredictionService s = service(policy, null);
        later(s, 1, TestModels.row(1, 2, Map.of()));
        await().atMost(WAIT).until(() -> running() == 1);
        later(s, 3, TestModels.row(3, 4, Map.of()));
        await().atMost(WAIT).until(() -> waiting() == 1);

        PredictionService.Outcome degraded = s.predict("m", null, TestModels.row(5, 6, Map.of()));
        assertTrue(degraded.degraded());
        assertArrayEquals(new double[]{-1}, (double[]) output(degraded, "score"));
        assertArrayEquals(new String[]{"unknown"}, (String[]) output(degraded, "label"));
        assertEquals(1, PrometheusText.valueOrZero(metrics.render(), "predictions_degraded_total", Map.of("model",
                "m", "version", "1.0.0", "fallback", "default", "cause", "overloaded")), metrics.render());
        assertEquals(1, totals().errors(), "a degraded answer is still the version's failure");
    }

    @Test
    void aCachedFallbackAnswersTheLastAnswerForTheSameInputOnly() {
        ServingPolicy policy = ServingPolicy.defaults().withFallback(ServingPolicy.Fallback.CACHED, null);
        release.countDown();
        PredictionService healthy = service(policy, null);
        PredictionService.Outcome computed = healthy.predict("m", null, TestModels.row(1, 2, Map.of()));
        assertFalse(computed.degraded());

        // the same version starts failing (the next revision injects faults): same admission, same memory
        ServingTable before = table.get();
        Map<RouteTarget, LoadedModel> m = new LinkedHashMap<>();
        m.put(TestModels.target("1.0.0", 100, Role.STABLE, new Fault(1.0, 0, Instant.now().plusSeconds(600))),
                new SumModel(1, null));
        ServingTable failing = TestModels.table(m, policy, new AdmissionDefaults(1, 1, 1, 0, 0, null));
        table.set(failing);
        PredictionService.Outcome remembered = healthy.predict("m", null, TestModels.row(1, 2, Map.of()));
        assertTrue(remembered.degraded());
        assertArrayEquals((float[]) computed.result().outputs().get(0).data(),
                (float[]) remembered.result().outputs().get(0).data());
        assertThrows(InjectedFaultException.class, () -> healthy.predict("m", null, TestModels.row(2, 2, Map.of())),
                "no answer was ever given for this input: the failure stands");
        assertEquals(1, PrometheusText.valueOrZero(metrics.render(), "predictions_degraded_total", Map.of("model",
                "m", "version", "1.0.0", "fallback", "cached", "cause", "failure")), metrics.render());
        assertTrue(before != failing);
    }
}
