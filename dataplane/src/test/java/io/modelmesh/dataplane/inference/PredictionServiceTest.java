package io.modelmesh.dataplane.inference;

import io.modelmesh.metrics.PrometheusText;
import io.modelmesh.api.Fault;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.dataplane.InjectedFaultException;
import io.modelmesh.dataplane.TestModels;
import io.modelmesh.dataplane.TestModels.HandClock;
import io.modelmesh.dataplane.TestModels.SumModel;
import io.modelmesh.dataplane.cache.CacheEvents;
import io.modelmesh.dataplane.cache.MemoryCache;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.outcomes.OutcomeRecorder;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.shadow.ShadowLedger;
import io.modelmesh.dataplane.shadow.ShadowMirror;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.api.RouteTarget;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing by sticky key, fault injection and outcome recording, without HTTP or an engine. */
class PredictionServiceTest {
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final HandClock clock = new HandClock(T0);
    private final OutcomeRecorder outcomes = new OutcomeRecorder();
    private final PredictionMetrics metrics = new PredictionMetrics();

    private PredictionService service(ServingTable table, DoubleSupplier random) {
        ShadowMirror mirror = new ShadowMirror(16, () -> table, new ShadowLedger(), metrics, clock);
        return new PredictionService(() -> table, metrics, new MemoryCache(1 << 20, CacheEvents.NONE), clock, random,
                outcomes, mirror);
    }

    private static ServingTable stableAndCanary(Fault canaryFault) {
        Map<RouteTarget, LoadedModel> m = new LinkedHashMap<>();
        m.put(TestModels.target("1.0.0", 50, Role.STABLE, null), new SumModel(1, null));
        m.put(TestModels.target("2.0.0", 50, Role.CANARY, canaryFault), new SumModel(2, null));
        return TestModels.table(m);
    }

    private OutcomeRecorder.Totals totals(String version) {
        return outcomes.snapshot().get(new OutcomeRecorder.Key("m", version));
    }

    @Test
    void sameUserKeyGetsTheSameVersionAndVersionOverrideWins() {
        PredictionService s = service(stableAndCanary(null), () -> 0.5);
        for (int u = 0; u < 50; u++) {
            Map<String, String> h = Map.of("X-User-Id", "user-" + u);
            String first = s.predict("m", null, TestModels.row(1, 2, h)).served().version();
            for (int r = 0; r < 5; r++) {
                assertEquals(first, s.predict("m", null, TestModels.row(1, 2, h)).served().version());
            }
            assertEquals("2.0.0", s.predict("m", "2.0.0", TestModels.row(1, 2, h)).served().version());
        }
    }

    @Test
    void faultWithErrorRateOneFailsEveryRequestUntilItExpires() {
        Fault fault = new Fault(1.0, 0, T0.plusSeconds(10));
        PredictionService s = service(stableAndCanary(fault), () -> 0.999);
        InjectedFaultException e = assertThrows(InjectedFaultException.class,
                () -> s.predict("m", "2.0.0", TestModels.row(1, 2, Map.of())));
        assertTrue(e.getMessage().contains("mmctl chaos m --version 2.0.0 --clear"), e.getMessage());
        assertEquals("1.0.0", s.predict("m", "1.0.0", TestModels.row(1, 2, Map.of())).served().version(),
                "the fault is the canary's only");

        clock.advance(Duration.ofSeconds(10));
        assertEquals("2.0.0", s.predict("m", "2.0.0", TestModels.row(1, 2, Map.of())).served().version(),
                "the fault ends at its until instant");
        OutcomeRecorder.Totals canary = totals("2.0.0");
        assertEquals(2, canary.requests());
        assertEquals(1, canary.errors(), "the injected failure counts as a server error");
        assertEquals(1, PrometheusText.valueOrZero(metrics.render(), "predictions_total", Map.of("model", "m",
                "version", "2.0.0", "outcome", "error")), metrics.render());
    }

    @Test
    void faultWithErrorRateZeroOnlyDelays() {
        PredictionService s = service(stableAndCanary(new Fault(0.0, 25, null)), () -> 0.0);
        for (int i = 0; i < 3; i++) {
            s.predict("m", "2.0.0", TestModels.row(1, 2, Map.of()));
        }
        OutcomeRecorder.Totals canary = totals("2.0.0");
        assertEquals(0, canary.errors());
        assertTrue(canary.sumNanos() / 3 >= 25_000_000L, "every request took the injected 25 ms: "
                + canary.sumNanos() / 3 + " ns");
    }

    @Test
    void faultErrorRateIsTheShareOfFailedRequests() {
        SplittableRandom seeded = new SplittableRandom(42);
        PredictionService s = service(stableAndCanary(new Fault(0.3, 0, null)), () -> {
            synchronized (seeded) {
                return seeded.nextDouble();
            }
        });
        int failed = 0;
        for (int i = 0; i < 10_000; i++) {
            try {
                s.predict("m", "2.0.0", TestModels.row(1, 2, Map.of()));
            } catch (InjectedFaultException e) {
                failed++;
            }
        }
        assertEquals(3000, failed, 150);
        assertEquals(failed, totals("2.0.0").errors());
        assertEquals(10_000, totals("2.0.0").requests());
    }

    @Test
    void clientErrorsAreNotOutcomes() {
        PredictionService s = service(stableAndCanary(null), () -> 0.5);
        assertThrows(InvalidInputException.class, () -> s.predict("m", "1.0.0", TestModels.invalid()));
        assertEquals(null, totals("1.0.0"), "a 400 is not a request the version answered");
        s.predict("m", "1.0.0", TestModels.row(1, 2, Map.of()));
        assertEquals(1, totals("1.0.0").requests());
        assertEquals(0, totals("1.0.0").errors());
    }

    /** {@link SumModel} with feature names {@code a, b}: it reads feature maps, as a version registered with them. */
    private static final class NamedSumModel implements LoadedModel {
        private final SumModel sum = new SumModel(1, null);

        @Override
        public io.modelmesh.api.ModelSchema schema() {
            io.modelmesh.api.ModelSchema s = sum.schema();
            return new io.modelmesh.api.ModelSchema(s.inputs(), s.outputs(), List.of("a", "b"));
        }

        @Override
        public int rowWidth() {
            return 2;
        }

        @Override
        public io.modelmesh.engine.BatchResult predict(io.modelmesh.engine.FloatBatch batch) {
            return sum.predict(batch);
        }

        @Override
        public void close() {
        }
    }

    /** A body read by the real row parser against whichever version's binding the service asks for. */
    private static PredictionRequest body(String json, Map<String, String> headers) {
        return new PredictionRequest() {
            @Override
            public ParsedInput parse(InputBinding binding) {
                return RowParser.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), binding, 100);
            }

            @Override
            public String header(String name) {
                return headers.get(name);
            }
        };
    }

    @Test
    void aCanaryThatRejectsWhatTheStableVersionReadsCountsTheRequestAsItsError() {
        Map<RouteTarget, LoadedModel> m = new LinkedHashMap<>();
        m.put(TestModels.target("1.0.0", 50, Role.STABLE, null), new NamedSumModel());
        m.put(TestModels.target("2.0.0", 50, Role.CANARY, null), new SumModel(2, null)); // no feature names
        ServingTable table = TestModels.table(m);
        PredictionService s = service(table, () -> 0.5);
        int canary = 0;
        for (int u = 0; u < 40; u++) {
            Map<String, String> h = Map.of("X-User-Id", "user-" + u);
            try {
                assertEquals("1.0.0", s.predict("m", null, body("{\"inputs\": {\"a\": 1, \"b\": 2}}", h))
                        .served().version());
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().contains("no feature names"), e.getMessage());
                canary++;
            }
        }
        assertTrue(canary > 0, "some users are routed to the canary");
        assertEquals(canary, totals("2.0.0").requests(), "each refusal is an outcome of the canary");
        assertEquals(canary, totals("2.0.0").errors(), "and an error: the stable version reads these rows");
        assertEquals(40 - canary, totals("1.0.0").requests());

        // a body neither version reads is the client's: not held against the canary
        for (int u = 0; u < 40; u++) {
            try {
                s.predict("m", null, body("{\"inputs\": [1, 2, 3]}", Map.of("X-User-Id", "user-" + u)));
            } catch (InvalidInputException expected) {
                // both refuse three numbers
            }
        }
        assertEquals(canary, totals("2.0.0").errors());
        // nor is a refusal of an explicitly requested version (?version=2.0.0): the caller chose it
        assertThrows(InvalidInputException.class, () -> s.predict("m", "2.0.0",
                body("{\"inputs\": {\"a\": 1, \"b\": 2}}", Map.of())));
        assertEquals(canary, totals("2.0.0").errors());
    }

    @Test
    void answeredRowsGoToTheDriftSamplerAndFailedOnesDoNot() {
        Fault fault = new Fault(1.0, 0, T0.plusSeconds(10));
        ServingTable table = stableAndCanary(fault);
        io.modelmesh.dataplane.drift.FeatureSampler sampler = new io.modelmesh.dataplane.drift.FeatureSampler(
                io.modelmesh.dataplane.drift.SamplerConfig.defaults());
        PredictionService s = new PredictionService(() -> table, metrics, new MemoryCache(1 << 20, CacheEvents.NONE),
                clock, () -> 0.5, outcomes, new ShadowMirror(16, () -> table, new ShadowLedger(), metrics, clock),
                sampler);
        s.predict("m", "1.0.0", TestModels.row(3, 4, Map.of()));
        assertThrows(InjectedFaultException.class, () -> s.predict("m", "2.0.0", TestModels.row(5, 6, Map.of())));
        List<io.modelmesh.api.FeatureRows> drained = sampler.drain();
        assertEquals(1, drained.size(), drained.toString());
        assertEquals("1.0.0", drained.getFirst().version());
        assertEquals(List.of(3f, 4f), List.of(drained.getFirst().rows().getFirst()[0],
                drained.getFirst().rows().getFirst()[1]));
    }
}
