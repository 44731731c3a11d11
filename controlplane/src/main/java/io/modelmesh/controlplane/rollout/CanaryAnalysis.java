package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.RolloutStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The canary verdict: a pure function of the canary's recent outcomes, the rollout's state and the time. Breaches are
 * checked first and roll back at once (no waiting for the step to end); a step advances only once it has lasted its
 * interval with the minimum sample and no breach. A value exactly at a threshold is not a breach.
 */
public final class CanaryAnalysis {
    private CanaryAnalysis() {
    }

    public static Verdict evaluate(CanaryWindow w, RolloutStatus s, Instant now) {
        AnalysisPolicy a = (s.analysis() == null ? AnalysisPolicy.defaults() : s.analysis()).withDefaults();
        boolean enough = w.requests() >= a.minRequests();
        String over = " over " + w.requests() + " requests in the last " + w.seconds() + " s";
        if (enough && w.errorRate() > a.maxErrorRate()) {
            return new Verdict.RollBack("error rate " + percent(w.errorRate()) + " > " + percent(a.maxErrorRate())
                    + over);
        }
        if (enough && a.maxP99Ms() != null && w.p99Ms() > a.maxP99Ms()) {
            return new Verdict.RollBack("p99 latency " + ms(w.p99Ms()) + " > " + ms(a.maxP99Ms()) + over);
        }
        if (!enough) {
            return new Verdict.Inconclusive("only " + w.requests() + " of the " + a.minRequests()
                    + " canary requests needed in the last " + w.seconds() + " s");
        }
        String healthy = "healthy: error rate " + percent(w.errorRate()) + ", p99 " + ms(w.p99Ms()) + over;
        if (s.steps().isEmpty()) {
            return new Verdict.Continue(healthy + "; at " + s.percent() + "% until promoted by hand");
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

    static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
