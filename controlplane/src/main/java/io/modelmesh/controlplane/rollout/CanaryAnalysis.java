package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.RolloutStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The canary verdict: a pure function of the canary's recent outcomes, its latest input drift, the rollout's state and
 * the time. Breaches are checked first and roll back at once (no waiting for the step to end); a step advances only
 * once it has lasted its interval with the minimum sample and no breach. A value exactly at a threshold is not a
 * breach. The drift gate ({@code max_psi}) judges only a full drift window evaluated since the rollout started, which
 * is its own minimum sample; without one it neither rolls back nor holds the canary.
 */
public final class CanaryAnalysis {
    private CanaryAnalysis() {
    }

    public static Verdict evaluate(CanaryWindow w, RolloutStatus s, Instant now) {
        return evaluate(w, null, s, now);
    }

    /** @param drift the canary's latest drift evaluation since the rollout started, or null when there is none */
    public static Verdict evaluate(CanaryWindow w, CanaryDrift drift, RolloutStatus s, Instant now) {
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
        if (a.maxPsi() != null && drift != null && drift.psi() > a.maxPsi()) {
            return new Verdict.RollBack("input drift: PSI of feature " + drift.feature() + " " + psi(drift.psi())
                    + " > " + psi(a.maxPsi()) + " over the last " + drift.rows() + " rows");
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

    static String psi(double psi) {
        return String.format(Locale.ROOT, "%.3f", psi);
    }

    static String ms(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
