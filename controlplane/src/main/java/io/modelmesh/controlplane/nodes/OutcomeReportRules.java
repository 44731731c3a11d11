package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.server.errors.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * What an outcome report may say, checked before any of it is counted (reports steer canary analysis, so a report is
 * input like any other): a bounded number of entries, counts that are not negative and add up, finite numbers, and
 * only model versions the node's routing table has. Pure.
 */
public final class OutcomeReportRules {
    /** More versions than any routing table a node could hold in one report window. */
    static final int MAX_VERSIONS = 1_024;
    static final int MAX_SHADOWS = 256;
    static final int MAX_SAMPLES = 64;

    private OutcomeReportRules() {
    }

    /**
     * @param known whether (model, version) is on the node's routing table (the current one or the one it reports
     *              serving)
     * @throws InvalidInputException listing what is wrong (the whole report is refused: nothing of it is counted)
     */
    public static void validate(OutcomeReport report, BiPredicate<String, String> known) {
        List<String> problems = new ArrayList<>();
        if (report.servingRevision() < 0) {
            problems.add("serving_revision is negative");
        }
        if (report.versions().size() > MAX_VERSIONS) {
            problems.add("more than " + MAX_VERSIONS + " versions");
        }
        if (report.shadows().size() > MAX_SHADOWS) {
            problems.add("more than " + MAX_SHADOWS + " shadows");
        }
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
        for (VersionOutcome v : report.versions()) {
            String at = "versions[" + v.model() + "@" + v.version() + "]";
            if (v.requests() < 0 || v.errors() < 0) {
                problems.add(at + ": requests and errors must not be negative");
            } else if (v.errors() > v.requests()) {
                problems.add(at + ": more errors than requests");
            }
            if (!Double.isFinite(v.latency().sumMs()) || v.latency().sumMs() < 0) {
                problems.add(at + ": latency sum must be a non-negative number");
            }
            if (v.model() == null || v.version() == null || !known.test(v.model(), v.version())) {
                problems.add(at + ": not on this node's routing table");
            }
        }
        for (ShadowOutcome s : report.shadows()) {
            String at = "shadows[" + s.model() + "@" + s.shadowVersion() + "]";
            if (s.mirrored() < 0 || s.dropped() < 0 || s.failed() < 0 || s.compared() < 0 || s.labelComparisons() < 0
                    || s.labelAgreements() < 0 || s.numericValues() < 0) {
                problems.add(at + ": counts must not be negative");
            } else if (s.labelAgreements() > s.labelComparisons() || s.labelComparisons() > s.compared()) {
                problems.add(at + ": more agreements than comparisons");
            }
            if (!Double.isFinite(s.sumAbsDiff()) || !Double.isFinite(s.maxAbsDiff())
                    || !Double.isFinite(s.sumLatencyDeltaMs()) || s.sumAbsDiff() < 0 || s.maxAbsDiff() < 0) {
                problems.add(at + ": differences must be finite and not negative");
            }
            if (s.samples().size() > MAX_SAMPLES) {
                problems.add(at + ": more than " + MAX_SAMPLES + " samples");
            }
            if (s.model() == null || s.shadowVersion() == null || s.primaryVersion() == null
                    || !known.test(s.model(), s.shadowVersion()) || !known.test(s.model(), s.primaryVersion())) {
                problems.add(at + ": shadow or primary version not on this node's routing table");
            }
        }
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
    }

    private static InvalidInputException refused(List<String> problems) {
        List<String> shown = problems.size() > 10 ? problems.subList(0, 10) : problems;
        return new InvalidInputException("outcome report refused, nothing of it was counted: " + String.join("; ", shown)
                + (problems.size() > shown.size() ? " (and " + (problems.size() - shown.size()) + " more)" : ""));
    }
}
