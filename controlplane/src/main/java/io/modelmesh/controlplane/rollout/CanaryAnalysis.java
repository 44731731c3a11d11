package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.RolloutStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The canary verdict: a pure function of the canary's outcomes over consecutive windows, the lags of the nodes that
 * serve it, its latest input drift, the rollout's state and the time. Like Argo Rollouts' analysis, it always ends:
 * <ul>
 *   <li>a window <b>fails</b> when, with at least the minimum sample, the error rate or p99 passes its threshold, or
 *       when a node that serves the canary has delivered no outcome report for the whole window (its share of the
 *       traffic cannot be judged: an error, not silence). {@code failureLimit} consecutive failing windows, the
 *       newest included, roll the canary back at once (default 1: the first one does);</li>
 *   <li>the drift gate ({@code max_psi}) judges only a full drift window evaluated since the rollout started, which
 *       is its own minimum sample; a PSI above the limit rolls back at once, and without one it neither rolls back
 *       nor holds the canary;</li>
 *   <li>a window with fewer canary requests than the minimum is <b>inconclusive</b>; after {@code inconclusiveLimit}
 *       consecutive inconclusive windows within one step, a stepped canary is rolled back, with the reason;</li>
 *   <li>otherwise a step advances once it has lasted its interval with the minimum sample and no failure.</li>
 * </ul>
 * A value exactly at a threshold is not a breach.
 */
public final class CanaryAnalysis {
    private CanaryAnalysis() {
    }

    /** The current window alone (no window history, no node lags). */
    public static Verdict evaluate(CanaryWindow w, RolloutStatus s, Instant now) {
        return evaluate(AnalysisInput.of(w), s, now);
    }

    /** The current window and the canary's latest drift evaluation (null when there is none), no node lags. */
    public static Verdict evaluate(CanaryWindow w, CanaryDrift drift, RolloutStatus s, Instant now) {
        return evaluate(AnalysisInput.of(w, drift), s, now);
    }

    public static Verdict evaluate(AnalysisInput in, RolloutStatus s, Instant now) {
        AnalysisPolicy a = (s.analysis() == null ? AnalysisPolicy.defaults() : s.analysis()).withDefaults();
        CanaryWindow w = in.windows().getFirst();
        String failure = failure(in, 0, a, now);
        if (failure != null && consecutiveFailures(in, a, now) >= a.failureLimit()) {
            return new Verdict.RollBack(a.failureLimit() == 1 ? failure : failure + " (" + a.failureLimit()
                    + " consecutive failing windows of " + a.windowSeconds() + " s)");
        }
        boolean enough = w.requests() >= a.minRequests();
        CanaryDrift drift = in.drift();
        if (a.maxPsi() != null && drift != null && drift.psi() > a.maxPsi()) {
            return new Verdict.RollBack("input drift: PSI of feature " + drift.feature() + " " + psi(drift.psi())
                    + " > " + psi(a.maxPsi()) + " over the last " + drift.rows() + " rows");
        }
        if (!enough) {
            return inconclusive(in, s, a, now);
        }
        String over = " over " + w.requests() + " requests in the last " + w.seconds() + " s";
        String healthy = failure != null ? "failing (" + failure + "), " + consecutiveFailures(in, a, now) + " of "
                + a.failureLimit() + " consecutive windows so far"
                : "healthy: error rate " + percent(w.errorRate()) + ", p99 " + ms(w.p99Ms()) + over;
        if (failure != null || s.steps().isEmpty()) {
            return new Verdict.Continue(healthy + (s.steps().isEmpty() && failure == null ? "; at " + s.percent()
                    + "% until promoted by hand" : ""));
        }
        long lasted = Duration.between(s.stepStartedAt(), now).toSeconds();
        if (lasted < s.stepIntervalSeconds()) {
            return new Verdict.Continue(healthy + "; step " + s.percent() + "% for " + lasted + " of "
                    + s.stepIntervalSeconds() + " s");
        }
        int next = s.stepIndex() + 1;
        String after = "; " + s.percent() + "% held " + lasted + " s";
        if (next >= s.steps().size()) {
            return s.percent() >= 100 ? new Verdict.Promote(healthy + after)
                    : new Verdict.Continue(healthy + "; at the last step " + s.percent() + "% until promoted by hand");
        }
        int to = s.steps().get(next);
        return to >= 100 ? new Verdict.Promote(healthy + after) : new Verdict.Advance(to, healthy + after);
    }

    /** Why window {@code i} fails, or null when it does not. */
    static String failure(AnalysisInput in, int i, AnalysisPolicy a, Instant now) {
        if (i < in.windows().size()) {
            CanaryWindow w = in.windows().get(i);
            if (w.requests() >= a.minRequests()) {
                String over = " over " + w.requests() + " requests in " + (i == 0 ? "the last " + w.seconds() + " s"
                        : "the window " + i * w.seconds() + "-" + (i + 1) * w.seconds() + " s ago");
                if (w.errorRate() > a.maxErrorRate()) {
                    return "error rate " + percent(w.errorRate()) + " > " + percent(a.maxErrorRate()) + over;
                }
                if (a.maxP99Ms() != null && w.p99Ms() > a.maxP99Ms()) {
                    return "p99 latency " + ms(w.p99Ms()) + " > " + ms(a.maxP99Ms()) + over;
                }
            }
        }
        long windowEnd = (long) (i + 1) * a.windowSeconds();
        if (now.minusSeconds(windowEnd).isBefore(in.watchingSince())) {
            return null; // nobody was there to receive this window's reports
        }
        for (AnalysisInput.NodeLag n : in.silent()) {
            if (n.lagSeconds() >= windowEnd) {
                return "node " + n.nodeId() + " serves the canary but has delivered no outcome report for "
                        + n.lagSeconds() + " s, so its share of the canary's traffic cannot be judged";
            }
        }
        return null;
    }

    /** How many windows in a row, the newest first, fail. */
    static int consecutiveFailures(AnalysisInput in, AnalysisPolicy a, Instant now) {
        int n = 0;
        while (n < a.failureLimit() && failure(in, n, a, now) != null) {
            n++;
        }
        return n;
    }

    /**
     * The verdict on a window without the minimum sample: inconclusive, or, after the limit of consecutive
     * inconclusive windows within the current step (and since the analysis has been watched), a rollback.
     */
    private static Verdict inconclusive(AnalysisInput in, RolloutStatus s, AnalysisPolicy a, Instant now) {
        CanaryWindow w = in.windows().getFirst();
        String few = "only " + w.requests() + " of the " + a.minRequests() + " canary requests needed in the last "
                + w.seconds() + " s";
        int limit = a.inconclusiveWindows(!s.steps().isEmpty());
        if (limit <= 0) {
            return new Verdict.Inconclusive(few);
        }
        Instant floor = s.stepStartedAt() == null ? in.watchingSince()
                : s.stepStartedAt().isAfter(in.watchingSince()) ? s.stepStartedAt() : in.watchingSince();
        int run = 0;
        for (int i = 0; i < in.windows().size() && run < limit; i++) {
            Instant start = now.minusSeconds((long) (i + 1) * a.windowSeconds());
            if (start.isBefore(floor) || in.windows().get(i).requests() >= a.minRequests()) {
                break;
            }
            run++;
        }
        if (run >= limit) {
            return new Verdict.RollBack("inconclusive for " + limit + " consecutive windows of " + a.windowSeconds()
                    + " s at " + s.percent() + "%: fewer than " + a.minRequests() + " canary requests in each (the "
                    + "last had " + w.requests() + "); too little traffic to judge the canary");
        }
        return new Verdict.Inconclusive(few + " (" + run + " of " + limit + " inconclusive windows before the canary "
                + "is stopped)");
    }

    static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    static String psi(double psi) {
        return String.format(Locale.ROOT, "%.3f", psi);
    }

    static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
