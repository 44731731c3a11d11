package io.modelmesh.controlplane.rollout;

import static io.modelmesh.api.RolloutState.RUNNING;
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
        return new RolloutStatus(1, "iris", "1.0.0", "1.1.0", RUNNING, percent, steps, index, 30, POLICY, null, 5,
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
        RolloutStatus r = new RolloutStatus(1, "iris", "1.0.0", "1.1.0", RUNNING, 5, List.of(), 0, 30, atBound,
                null, 5, "a", T0, T0, null);
        CanaryWindow w = window(50, 0, 40);
        assertEquals(bound, w.p99Ms());
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(w, r, T0));
    }

    @Test
    void noLatencyLimitMeansLatencyIsIgnored() {
        RolloutStatus r = new RolloutStatus(1, "iris", "1.0.0", "1.1.0", RUNNING, 5, List.of(), 0, 30,
                new AnalysisPolicy(0.05, null, 20, 10), null, 5, "a", T0, T0, null);
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(window(50, 0, 5000), r, T0));
    }

    @Test
    void aBreachBelowTheMinimumSampleIsInconclusive() {
        Verdict v = CanaryAnalysis.evaluate(window(19, 19, 1), STEPPED, T0.plusSeconds(60));
        assertEquals(new Verdict.Inconclusive("only 19 of the 20 canary requests needed in the last 10 s (1 of 30 "
                + "inconclusive windows before the canary is stopped)"), v);
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

    // ---- limits that make every canary end (Argo Rollouts' failureLimit / inconclusiveLimit, silent nodes) ----

    static RolloutStatus withPolicy(AnalysisPolicy policy, List<Integer> steps) {
        return new RolloutStatus(1, "iris", "1.0.0", "1.1.0", RUNNING, steps.isEmpty() ? 10 : steps.getFirst(),
                steps, 0, 30, policy, null, 5, "alice", T0, T0, null);
    }

    /** Consecutive windows, newest first, watched since T0, no node lags. */
    static AnalysisInput windows(CanaryWindow... newestFirst) {
        return new AnalysisInput(List.of(newestFirst), List.of(), T0);
    }

    @Test
    void aFailureLimitNeedsThatManyFailingWindowsInARow() {
        RolloutStatus r = withPolicy(new AnalysisPolicy(0.05, null, 20, 10, null, 3, null), List.of(5, 50, 100));
        CanaryWindow bad = window(100, 50, 1);
        CanaryWindow good = window(100, 0, 1);
        Instant now = T0.plusSeconds(20); // within the 30 s step: a healthy window does not advance yet
        Verdict two = CanaryAnalysis.evaluate(windows(bad, bad, good), r, now);
        assertInstanceOf(Verdict.Continue.class, two, "two failing windows of three: not yet");
        assertEquals(true, two.reason().contains("2 of 3 consecutive windows"), two.reason());
        Verdict gap = CanaryAnalysis.evaluate(windows(bad, good, bad), r, now);
        assertInstanceOf(Verdict.Continue.class, gap, "not in a row");
        Verdict three = CanaryAnalysis.evaluate(windows(bad, bad, bad), r, now);
        assertEquals(new Verdict.RollBack("error rate 50.0% > 5.0% over 100 requests in the last 10 s (3 consecutive "
                + "failing windows of 10 s)"), three);
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(windows(good, bad, bad), r, now),
                "a healthy newest window resets the run");
    }

    @Test
    void theDefaultFailureLimitRollsBackOnTheFirstFailingWindow() {
        RolloutStatus r = withPolicy(new AnalysisPolicy(0.05, null, 20, 10), List.of(5, 50, 100));
        assertInstanceOf(Verdict.RollBack.class, CanaryAnalysis.evaluate(windows(window(100, 50, 1)), r,
                T0.plusSeconds(1)));
    }

    @Test
    void aSteppedCanaryStopsAfterItsInconclusiveLimitWithinTheStep() {
        RolloutStatus r = withPolicy(new AnalysisPolicy(0.05, null, 20, 10, null, 1, 3), List.of(5, 50, 100));
        CanaryWindow few = window(2, 0, 1);
        // 30 s into the step: three whole inconclusive windows
        Verdict v = CanaryAnalysis.evaluate(windows(few, few, few), r, T0.plusSeconds(30));
        assertEquals(new Verdict.RollBack("inconclusive for 3 consecutive windows of 10 s at 5%: fewer than 20 "
                + "canary requests in each (the last had 2); too little traffic to judge the canary"), v);
        // 25 s into the step, the third window began before the step: not counted
        assertInstanceOf(Verdict.Inconclusive.class, CanaryAnalysis.evaluate(windows(few, few, few), r,
                T0.plusSeconds(25)));
        // a conclusive window in between resets the run
        assertInstanceOf(Verdict.Inconclusive.class, CanaryAnalysis.evaluate(windows(few, window(40, 0, 1), few), r,
                T0.plusSeconds(30)));
    }

    @Test
    void theInconclusiveLimitDefaultsTo30WindowsForSteppedCanariesAndNoneForHandPromotedOnes() {
        AnalysisPolicy defaults = new AnalysisPolicy(0.05, null, 20, 10);
        CanaryWindow[] few = new CanaryWindow[30];
        java.util.Arrays.fill(few, window(0, 0, 1));
        Instant now = T0.plusSeconds(300);
        assertInstanceOf(Verdict.RollBack.class, CanaryAnalysis.evaluate(windows(few),
                withPolicy(defaults, List.of(5, 50, 100)), now));
        assertInstanceOf(Verdict.Inconclusive.class, CanaryAnalysis.evaluate(windows(few),
                withPolicy(defaults, List.of()), now), "promoted by hand: a person decides");
        assertInstanceOf(Verdict.Inconclusive.class, CanaryAnalysis.evaluate(windows(few),
                withPolicy(new AnalysisPolicy(0.05, null, 20, 10, null, 1, 0), List.of(5, 50, 100)), now),
                "0: no limit");
        assertEquals(6, new AnalysisPolicy(null, null, null, 600).inconclusiveWindows(true),
                "the default fits in the hour of history kept");
    }

    @Test
    void aNodeThatServesTheCanaryAndStoppedReportingIsAFailureNotSilence() {
        RolloutStatus r = withPolicy(new AnalysisPolicy(0.05, null, 20, 10), List.of(5, 50, 100));
        Instant now = T0.plusSeconds(120);
        AnalysisInput lagging = new AnalysisInput(List.of(window(3, 0, 1)),
                List.of(new AnalysisInput.NodeLag("node-b", 14), new AnalysisInput.NodeLag("node-a", 1)), T0);
        Verdict v = CanaryAnalysis.evaluate(lagging, r, now);
        assertEquals(new Verdict.RollBack("node node-b serves the canary but has delivered no outcome report for 14 s, "
                + "so its share of the canary's traffic cannot be judged"), v);
        AnalysisInput recent = new AnalysisInput(List.of(window(3, 0, 1)),
                List.of(new AnalysisInput.NodeLag("node-b", 9)), T0);
        assertInstanceOf(Verdict.Inconclusive.class, CanaryAnalysis.evaluate(recent, r, now),
                "less than a window behind: its reports may still come");
    }

    @Test
    void silenceIsNotCountedBeforeTheAnalysisWasWatched() {
        RolloutStatus r = withPolicy(new AnalysisPolicy(0.05, null, 20, 10), List.of());
        Instant takeover = T0.plusSeconds(100);
        AnalysisInput afterTakeover = new AnalysisInput(List.of(window(40, 0, 1)),
                List.of(new AnalysisInput.NodeLag("node-b", 30)), takeover);
        assertInstanceOf(Verdict.Continue.class, CanaryAnalysis.evaluate(afterTakeover, r, takeover.plusSeconds(5)),
                "a new leader gives nodes a window to deliver what the outage held back");
        assertInstanceOf(Verdict.RollBack.class, CanaryAnalysis.evaluate(afterTakeover, r, takeover.plusSeconds(10)));
    }

    @Test
    void limitsOutsideTheHistoryKeptAreRefusedSayingWhy() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AnalysisPolicy(null, null, null, 600, null, 7, null));
        assertEquals(true, e.getMessage().startsWith("failure_limit must be at least 1 and failure_limit x "
                + "window_seconds at most 3600 s"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AnalysisPolicy(null, null, null, null, null, 0, null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new AnalysisPolicy(null, null, null, null, null, null, -1));
    }

    @Test
    void emptyWindowHasNoRateAndNoLatency() {
        CanaryWindow w = CanaryWindow.empty(10);
        assertEquals(0.0, w.errorRate());
        assertEquals(0.0, w.p99Ms());
    }

    // ---- the drift gate (analysis.max_psi) --------------------------------------------------------------------------

    static RolloutStatus gated(double maxPsi) {
        return new RolloutStatus(1, "iris", "1.0.0", "1.1.0", RUNNING, 10, List.of(), 0, 30,
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
