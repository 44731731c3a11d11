package io.modelmesh.controlplane.monitoring;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.ShadowSample;
import io.modelmesh.controlplane.deploy.RevisionHook;
import io.modelmesh.controlplane.nodes.OutcomeSink;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.ShadowComparison;
import io.modelmesh.controlplane.store.ShadowComparisonRepository;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Keeps shadow comparisons in PostgreSQL. As an {@link OutcomeSink} it adds every report's shadow counters and samples
 * to the matching comparison (one transaction per report); as a {@link RevisionHook} it closes a model's comparisons
 * when its shadow stops or changes and opens a fresh one when a new shadow starts, in the transaction that writes the
 * revision.
 */
public final class ShadowRecorder implements OutcomeSink, RevisionHook {
    private static final Logger LOG = Logger.getLogger(ShadowRecorder.class.getName());
    /** Samples taken from one outcome at most (nodes send a few; a bigger batch is cut, not refused). */
    static final int MAX_SAMPLES_PER_OUTCOME = 50;
    /** Longest text kept per sample field (nodes cut inputs to 2 KiB; outputs are bounded here). */
    static final int MAX_TEXT = 8 * 1024;

    private final Database db;
    private final ShadowComparisonRepository comparisons;
    private final Clock clock;
    private final AtomicLong rejected = new AtomicLong();

    public ShadowRecorder(Database db, ShadowComparisonRepository comparisons, Clock clock) {
        this.db = db;
        this.comparisons = comparisons;
        this.clock = clock;
    }

    @Override
    public void accept(OutcomeReport report) {
        List<ShadowOutcome> valid = report.shadows().stream().filter(this::valid).toList();
        if (valid.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String node = report.nodeId() == null ? "unknown" : report.nodeId();
        Instant windowEnd = report.to() == null ? now : report.to();
        db.inTransaction(tx -> {
            for (ShadowOutcome o : valid) {
                comparisons.lockModel(tx, o.model());
                long id = comparisonFor(tx, o, report.from() == null ? now : report.from());
                comparisons.add(tx, id, o, now);
                comparisons.addSamples(tx, id, node, bounded(o.samples()), windowEnd);
            }
            return null;
        });
    }

    @Override
    public void written(DbExecute tx, DeploymentRecord written, Optional<DeploymentRecord> previous) {
        DeploymentSpec spec = written.spec();
        DeploymentSpec before = previous.map(DeploymentRecord::spec).orElse(null);
        if (continues(before, spec)) {
            return; // same shadow next to the same stable version (e.g. a chaos revision): keep counting
        }
        comparisons.lockModel(tx, written.model());
        comparisons.deactivate(tx, written.model(), written.createdAt());
        if (isShadow(spec)) {
            comparisons.open(tx, written.model(), spec.shadow().version(), spec.stable(), written.createdAt(), true);
        }
    }

    /** Outcomes dropped because they named no model or versions or carried negative counters. */
    public long rejected() {
        return rejected.get();
    }

    /**
     * Whether a revision with {@code next} after one with {@code before} leaves the comparisons as they are: both
     * shadow the same version next to the same stable one (the mirrored share may change), or neither has a shadow.
     */
    static boolean continues(DeploymentSpec before, DeploymentSpec next) {
        if (isShadow(before) && isShadow(next)) {
            return before.stable().equals(next.stable()) && before.shadow().version().equals(next.shadow().version());
        }
        return !isShadow(before) && !isShadow(next); // no shadow before or after: nothing to open or close
    }

    private static boolean isShadow(DeploymentSpec spec) {
        return spec != null && spec.strategy() == DeploymentSpec.Strategy.SHADOW && spec.shadow() != null;
    }

    private long comparisonFor(DbExecute tx, ShadowOutcome o, Instant windowStart) {
        Optional<ShadowComparison> found = comparisons.find(tx, o.model(), o.shadowVersion(), o.primaryVersion());
        if (found.isPresent()) {
            return found.get().id();
        }
        // another primary answered (a ?version= override): compare beside the shadow's comparison, since it started
        Optional<ShadowComparison> sibling = comparisons.activeOf(tx, o.model(), o.shadowVersion());
        return comparisons.open(tx, o.model(), o.shadowVersion(), o.primaryVersion(),
                sibling.map(ShadowComparison::startedAt).orElse(windowStart), sibling.isPresent());
    }

    private boolean valid(ShadowOutcome o) {
        boolean ok = o != null && o.model() != null && o.shadowVersion() != null && o.primaryVersion() != null
                && o.mirrored() >= 0 && o.dropped() >= 0 && o.failed() >= 0 && o.compared() >= 0
                && o.labelComparisons() >= 0 && o.labelAgreements() >= 0 && o.numericValues() >= 0
                && Double.isFinite(o.sumAbsDiff()) && Double.isFinite(o.maxAbsDiff())
                && Double.isFinite(o.sumLatencyDeltaMs());
        if (!ok) {
            rejected.incrementAndGet();
            LOG.warning("ignored a malformed shadow outcome: " + o);
        }
        return ok;
    }

    private static List<ShadowSample> bounded(List<ShadowSample> samples) {
        return samples.stream().filter(java.util.Objects::nonNull).limit(MAX_SAMPLES_PER_OUTCOME)
                .map(s -> new ShadowSample(s.at(), cut(s.requestId()), cut(s.input()), cut(s.primaryOutput()),
                        cut(s.shadowOutput()), cut(s.shadowError()), s.labelsAgree(), s.maxAbsDiff(), s.primaryMs(),
                        s.shadowMs()))
                .toList();
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }
}
