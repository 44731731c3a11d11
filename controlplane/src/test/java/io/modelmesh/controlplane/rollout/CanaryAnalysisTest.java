package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.RolloutStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Every branch of the verdict, at its boundaries, with a hand-moved "now". */
class CanaryAnalysisTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final AnalysisPolicy POLICY = new AnalysisPolicy(0.05, 50.0, 20, 10);

    static RolloutStatus rollout(List<Integer> steps, int index, int percent) {
        return new RolloutStatus(1, "iris", "1.0.0", "1.1.0", "RUNNING", percent, steps, index, 30, POLICY, null, 5,
                "alice", T0, T0, null);
    }

    static CanaryWindow window(long requests, long errors, double latencyMs) {
        long[] counts = new long[LatencyHistogram.bucketOf(latencyMs) + 1];
        counts[LatencyHistogram.bucketOf(latencyMs)] = requests;
        return new CanaryWindow(10, requests, errors, new LatencyHistogram(counts, requests * latencyMs));
    }

    static final RolloutStatus STEPPED = rollout(List.of(5, 25, 50, 100), 0, 5);

    @Test
    void errorRateAboveTheLimitRollsBackAtOnceWithAReadableReason() {
        Verdict v = CanaryAnalysis.evaluate(window(212, 66, 1), STEPPED, T0.plusSeconds(1));
        assertEquals(new Verdict.RollBack("error rate 31.1% > 5.0% over 212 requests in the last 10 s"), v);
    }

    @Test
    void exactlyAtTheErrorThresholdIsNotABreach() {
        Verdict v = CanaryAnalysis.evaluate(window(100, 5, 1), STEPPED, T0.plusSeconds(1));
        assertInstanceOf(Verdict.Continue.class, v, v.reason());
        Verdict over = CanaryAnalysis.evaluate(window(100, 6, 1), STEPPED, T0.plusSeconds(1));
        assertInstanceOf(Verdict.RollBack.class, over);
    }

    @Test
    void latencyAboveTheLimitRollsBack() {
        Verdict v = CanaryAnalysis.evaluate(window(50, 0, 80), STEPPED, T0.plusSeconds(1));
        assertInstanceOf(Verdict.RollBack.class, v);
        assertEquals(true, v.reason().startsWith("p99 latency 8"), v.reason());
        assertEquals(true, v.reason().endsWith("> 50.0 ms over 50 requests in the last 10 s"), v.reason());
    }

    @Test
    void latencyAtTheLimitIsNotABreach() {
        double bound = LatencyHistogram.upperBoundMs(LatencyHistogram.bucketOf(40));
        AnalysisPolicy atBound = new AnalysisPolicy(0.05, bound, 20, 10);
        RolloutStatus r = new RolloutStatus(1, "iris", "1.0.0", "1.1.0", "RUNNING", 5, List.of(), 0, 30, atBound,
                null, 5, "a", T0, T0, null);
        CanaryWindow w = window(50, 0, 40);
        assertEquals(bound, w.p99Ms());
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(w, r, T0));
    }

    @Test
    void noLatencyLimitMeansLatencyIsIgnored() {
        RolloutStatus r = new RolloutStatus(1, "iris", "1.0.0", "1.1.0", "RUNNING", 5, List.of(), 0, 30,
                new AnalysisPolicy(0.05, null, 20, 10), null, 5, "a", T0, T0, null);
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(window(50, 0, 5000), r, T0));
    }

    @Test
    void aBreachBelowTheMinimumSampleIsInconclusive() {
        Verdict v = CanaryAnalysis.evaluate(window(19, 19, 1), STEPPED, T0.plusSeconds(60));
        assertEquals(new Verdict.Inconclusive("only 19 of the 20 canary requests needed in the last 10 s"), v);
        assertInstanceOf(Verdict.RollBack.class, CanaryAnalysis.evaluate(window(20, 20, 1), STEPPED, T0));
    }

    @Test
    void aHealthyStepContinuesUntilItsIntervalIsOver() {
        Verdict v = CanaryAnalysis.evaluate(window(40, 0, 1), STEPPED, T0.plusSeconds(29));
        assertInstanceOf(Verdict.Continue.class, v);
        assertEquals(true, v.reason().endsWith("step 5% for 29 of 30 s"), v.reason());
    }

    @Test
    void aHealthyStepAdvancesOnceItsIntervalIsOver() {
        Verdict v = CanaryAnalysis.evaluate(window(40, 1, 1), STEPPED, T0.plusSeconds(30));
        assertInstanceOf(Verdict.Advance.class, v);
        assertEquals(25, ((Verdict.Advance) v).toPercent());
        assertEquals(true, v.reason().startsWith("healthy: error rate 2.5%, p99 "), v.reason());
    }

    @Test
    void theStepBefore100Promotes() {
        Verdict v = CanaryAnalysis.evaluate(window(40, 0, 1), rollout(List.of(5, 25, 50, 100), 2, 50),
                T0.plusSeconds(31));
        assertInstanceOf(Verdict.Promote.class, v);
    }

    @Test
    void aLastStepOf100PromotesAndALastStepBelowWaitsForAPerson() {
        assertInstanceOf(Verdict.Promote.class, CanaryAnalysis.evaluate(window(40, 0, 1),
                rollout(List.of(50, 100), 1, 100), T0.plusSeconds(30)));
        Verdict v = CanaryAnalysis.evaluate(window(40, 0, 1), rollout(List.of(10, 50), 1, 50), T0.plusSeconds(30));
        assertInstanceOf(Verdict.Continue.class, v);
        assertEquals(true, v.reason().endsWith("at the last step 50% until promoted by hand"), v.reason());
    }

    @Test
    void anIntervalOverWithoutTheSampleIsInconclusive() {
        assertInstanceOf(Verdict.Inconclusive.class, CanaryAnalysis.evaluate(window(3, 0, 1), STEPPED,
                T0.plusSeconds(300)));
    }

    @Test
    void withoutStepsAHealthyCanaryStaysForever() {
        Verdict v = CanaryAnalysis.evaluate(window(40, 0, 1), rollout(List.of(), 0, 10), T0.plusSeconds(86_400));
        assertInstanceOf(Verdict.Continue.class, v);
        assertEquals(true, v.reason().endsWith("at 10% until promoted by hand"), v.reason());
    }

    @Test
    void emptyWindowHasNoRateAndNoLatency() {
        CanaryWindow w = CanaryWindow.empty(10);
        assertEquals(0.0, w.errorRate());
        assertEquals(0.0, w.p99Ms());
    }

    // ---- the drift gate (analysis.max_psi) --------------------------------------------------------------------------

    static RolloutStatus gated(double maxPsi) {
        return new RolloutStatus(1, "iris", "1.0.0", "1.1.0", "RUNNING", 10, List.of(), 0, 30,
                new AnalysisPolicy(0.05, null, 20, 10, maxPsi), null, 5, "alice", T0, T0, null);
    }

    @Test
    void inputDriftAboveMaxPsiRollsBackWithTheFeatureInTheReason() {
        CanaryDrift drift = new CanaryDrift("petal_length", 0.3141, 1000, T0.plusSeconds(5));
        Verdict v = CanaryAnalysis.evaluate(window(100, 0, 1), drift, gated(0.2), T0.plusSeconds(6));
        assertEquals(new Verdict.RollBack("input drift: PSI of feature petal_length 0.314 > 0.200 over the last "
                + "1000 rows"), v);
    }

    @Test
    void theDriftGateHasItsOwnSampleAndDoesNotWaitForRequests() {
        CanaryDrift drift = new CanaryDrift("x", 0.5, 1000, T0);
        assertInstanceOf(Verdict.RollBack.class, CanaryAnalysis.evaluate(window(3, 0, 1), drift, gated(0.2), T0),
                "a full drift window judges even while the request window is too small");
    }

    @Test
    void driftAtTheLimitWithoutAnEvaluationOrWithoutAGateIsNoBreach() {
        RolloutStatus r = gated(0.2);
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(window(100, 0, 1),
                new CanaryDrift("x", 0.2, 1000, T0), r, T0), "exactly at max_psi");
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(window(100, 0, 1), null, r, T0),
                "no full window evaluated since the rollout started: no verdict on drift");
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(window(100, 0, 1),
                new CanaryDrift("x", 5.0, 1000, T0), rollout(List.of(), 0, 10), T0), "no max_psi, no gate");
        assertInstanceOf(Verdict.Inconclusive.class, CanaryAnalysis.evaluate(window(3, 0, 1),
                new CanaryDrift("x", 0.1, 1000, T0), r, T0));
    }

    @Test
    void errorsAreJudgedBeforeDrift() {
        Verdict v = CanaryAnalysis.evaluate(window(100, 50, 1), new CanaryDrift("x", 0.9, 1000, T0), gated(0.2), T0);
        assertEquals(true, v.reason().startsWith("error rate 50.0%"), v.reason());
    }
}
