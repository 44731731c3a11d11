package io.modelmesh.controlplane.rollout;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.OutcomeRepository;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link OutcomeStore} every control plane of a cluster shares, in PostgreSQL: each accepted report is added, in
 * one transaction, to its second and to its strategy's totals. A report from a node serving a revision older than the
 * model's current strategy is left out (counted in {@link #stale()}); per-second history older than
 * {@link AnalysisPolicy#MAX_HISTORY_SECONDS} is pruned by the leader.
 */
public final class SharedOutcomes implements OutcomeStore {
    private final Database db;
    private final OutcomeRepository rows;
    private final Clock clock;
    private final AtomicLong stale = new AtomicLong();

    public SharedOutcomes(Database db, OutcomeRepository rows, Clock clock) {
        this.db = db;
        this.rows = rows;
        this.clock = clock;
    }

    @Override
    public void accept(OutcomeReport report) {
        // in one order everywhere: two reports' transactions lock their rows in the same order, so never deadlock
        List<VersionOutcome> counted = report.versions().stream()
                .filter(v -> v.model() != null && v.version() != null && v.requests() > 0)
                .sorted(java.util.Comparator.comparing(VersionOutcome::model).thenComparing(VersionOutcome::version))
                .toList();
        if (counted.isEmpty()) {
            return;
        }
        long second = (report.to() == null ? clock.instant() : report.to()).getEpochSecond();
        db.inTransaction(tx -> {
            Map<String, Long> from = rows.fromRevisions(tx, counted.stream().map(VersionOutcome::model).distinct()
                    .toList());
            for (VersionOutcome v : counted) {
                long fromRevision = from.getOrDefault(v.model(), 0L);
                if (report.servingRevision() < fromRevision) {
                    stale.incrementAndGet(); // served under the strategy before the current one
                    continue;
                }
                LatencyHistogram l = v.latency();
                rows.addSecond(tx, v.model(), v.version(), second, report.servingRevision(), v.requests(), v.errors(),
                        l.counts(), l.sumMs());
                rows.addTotal(tx, v.model(), v.version(), fromRevision, v.requests(), v.errors(), l.counts(),
                        l.sumMs());
            }
            return null;
        });
    }

    @Override
    public void reset(DbExecute tx, String model, Instant since, long revision) {
        rows.reset(tx, model, since, revision);
    }

    @Override
    public List<CanaryWindow> windows(String model, String version, int seconds, int count, Instant now) {
        long to = now.getEpochSecond();
        long[] requests = new long[count];
        long[] errors = new long[count];
        LatencyHistogram[] latency = new LatencyHistogram[count];
        java.util.Arrays.fill(latency, LatencyHistogram.empty());
        for (OutcomeRepository.Row r : rows.seconds(model, version, to - (long) seconds * count, to)) {
            int i = (int) ((to - r.second()) / seconds);
            requests[i] += r.requests();
            errors[i] += r.errors();
            latency[i] = latency[i].plus(new LatencyHistogram(r.latency(), r.latencySum()));
        }
        List<CanaryWindow> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new CanaryWindow(seconds, requests[i], errors[i], latency[i]));
        }
        return out;
    }

    @Override
    public Map<String, CanaryWindow> totals(String model) {
        Map<String, CanaryWindow> out = new LinkedHashMap<>();
        for (OutcomeRepository.Row r : rows.totals(model)) {
            out.put(r.version(), new CanaryWindow(0, r.requests(), r.errors(),
                    new LatencyHistogram(r.latency(), r.latencySum())));
        }
        return out;
    }

    @Override
    public Instant since(String model) {
        return rows.since(model);
    }

    @Override
    public void prune(DbExecute tx, Instant before) {
        rows.prune(tx, before.getEpochSecond());
    }

    /** Version entries left out because their report came from a node serving an older strategy's revision. */
    public long stale() {
        return stale.get();
    }
}
