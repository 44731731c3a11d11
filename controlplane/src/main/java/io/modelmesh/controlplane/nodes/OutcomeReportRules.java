package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.FeatureRows;
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
    /** Feature-row entries: one per version, like versions. */
    static final int MAX_FEATURE_ENTRIES = MAX_VERSIONS;
    /** Sampled rows per version in one report (nodes send at most a few hundred). */
    public static final int MAX_ROWS_PER_VERSION = 1_000;
    /** Values per sampled row: drift is followed for inputs of at most this many columns. */
    public static final int MAX_VALUES_PER_ROW = 256;
    /** Sampled values in one report, all versions together. */
    public static final int MAX_VALUES_PER_REPORT = 100_000;

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
        if (report.features().size() > MAX_FEATURE_ENTRIES) {
            problems.add("more than " + MAX_FEATURE_ENTRIES + " feature-row entries");
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
        features(report, known, problems);
        if (!problems.isEmpty()) {
            throw refused(problems);
        }
    }

    /** Sampled rows: bounded per version, per row and per report; equally wide; finite numbers; known versions. */
    private static void features(OutcomeReport report, BiPredicate<String, String> known, List<String> problems) {
        long values = 0;
        for (FeatureRows f : report.features()) {
            String at = "features[" + f.model() + "@" + f.version() + "]";
            if (f.seen() < 0 || f.dropped() < 0) {
                problems.add(at + ": seen and dropped must not be negative");
            } else if (f.rows().size() > f.seen()) {
                problems.add(at + ": more rows than the " + f.seen() + " seen");
            }
            if (f.rows().size() > MAX_ROWS_PER_VERSION) {
                problems.add(at + ": more than " + MAX_ROWS_PER_VERSION + " rows");
                continue;
            }
            int width = -1;
            for (float[] row : f.rows()) {
                if (row == null || row.length == 0 || row.length > MAX_VALUES_PER_ROW) {
                    problems.add(at + ": every row needs 1.." + MAX_VALUES_PER_ROW + " values");
                    break;
                }
                if (width >= 0 && row.length != width) {
                    problems.add(at + ": rows of different widths (" + width + " and " + row.length + ")");
                    break;
                }
                width = row.length;
                if (!finite(row)) {
                    problems.add(at + ": values must be finite numbers");
                    break;
                }
                values += row.length;
            }
            if (f.model() == null || f.version() == null || !known.test(f.model(), f.version())) {
                problems.add(at + ": not on this node's routing table");
            }
        }
        if (values > MAX_VALUES_PER_REPORT) {
            problems.add("more than " + MAX_VALUES_PER_REPORT + " sampled feature values");
        }
    }

    private static boolean finite(float[] row) {
        for (float v : row) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static InvalidInputException refused(List<String> problems) {
        List<String> shown = problems.size() > 10 ? problems.subList(0, 10) : problems;
        return new InvalidInputException("outcome report refused, nothing of it was counted: " + String.join("; ", shown)
                + (problems.size() > shown.size() ? " (and " + (problems.size() - shown.size()) + " more)" : ""));
    }
}
