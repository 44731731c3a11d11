package io.modelmesh.controlplane.rollout;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.VersionOutcome;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link OutcomeStore} in memory, for tests that drive the rollout controller without PostgreSQL: per model and
 * version, per-second buckets of the nodes' outcome reports (a ring of the last {@link #RING_SECONDS} seconds, keyed by
 * each report's end time) and totals since the model's current strategy started. The same contract as
 * {@link SharedOutcomes} ({@link OutcomeStoreContract} runs against both).
 */
public final class OutcomeWindows implements OutcomeStore {
    /** Seconds of per-second history kept, as the shared store keeps. */
    public static final int RING_SECONDS = AnalysisPolicy.MAX_HISTORY_SECONDS;

    private final Clock clock;
    private final Map<String, ModelSeries> models = new HashMap<>();
    private final AtomicLong tooOld = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();

    public OutcomeWindows(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void accept(OutcomeReport report) {
        Instant to = report.to() == null ? clock.instant() : report.to();
        long second = to.getEpochSecond();
        synchronized (this) {
            for (VersionOutcome v : report.versions()) {
                if (v.model() == null || v.version() == null || v.requests() <= 0) {
                    continue;
                }
                ModelSeries m = models.computeIfAbsent(v.model(), k -> new ModelSeries(null));
                if (report.servingRevision() < m.fromRevision) {
                    // served under the strategy before the current one (nodes close their window at every switch,
                    // so a report never mixes two revisions)
                    stale.incrementAndGet();
                    continue;
                }
                Series s = m.versions.computeIfAbsent(v.version(), k -> new Series());
                if (!s.add(second, v.requests(), v.errors(), v.latency())) {
                    tooOld.incrementAndGet();
                }
            }
        }
    }

    /**
     * Starts the model's outcomes again: its strategy changed at {@code revision}, so what was counted before (totals
     * and the per-second history) belongs to another experiment — a canary retried after a rollback must not be judged
     * by its predecessor's errors. Reports from nodes still serving an older revision (a late report, or a node that
     * missed the push) are left out from now on. Nodes close their outcome window at every revision switch, so no
     * report mixes the two strategies.
     */
    @Override
    public synchronized void reset(DbExecute tx, String model, Instant since, long revision) {
        ModelSeries m = new ModelSeries(since);
        m.fromRevision = revision;
        models.put(model, m);
    }

    /** Version entries left out because their report came from a node serving an older strategy's revision. */
    public long stale() {
        return stale.get();
    }

    @Override
    public synchronized List<CanaryWindow> windows(String model, String version, int seconds, int count, Instant now) {
        ModelSeries m = models.get(model);
        Series s = m == null ? null : m.versions.get(version);
        List<CanaryWindow> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long end = now.getEpochSecond() - (long) i * seconds;
            out.add(s == null || (long) (i + 1) * seconds > RING_SECONDS ? CanaryWindow.empty(seconds)
                    : s.window(end, seconds));
        }
        return out;
    }

    @Override
    public void prune(DbExecute tx, Instant before) {
        // a ring: what is older than RING_SECONDS is overwritten
    }

    @Override
    public synchronized Map<String, CanaryWindow> totals(String model) {
        Map<String, CanaryWindow> out = new LinkedHashMap<>();
        ModelSeries m = models.get(model);
        if (m != null) {
            m.versions.forEach((v, s) -> out.put(v, new CanaryWindow(0, s.totalRequests, s.totalErrors,
                    s.totalLatency)));
        }
        return out;
    }

    @Override
    public synchronized Instant since(String model) {
        ModelSeries m = models.get(model);
        return m == null ? null : m.since;
    }

    /** Reports (version entries) dropped because they ended before the kept history. */
    public long tooOld() {
        return tooOld.get();
    }

    private static final class ModelSeries {
        private Instant since;
        /** Reports from nodes serving an older revision than this are not counted. */
        private long fromRevision;
        private final Map<String, Series> versions = new LinkedHashMap<>();

        ModelSeries(Instant since) {
            this.since = since;
        }
    }

    private static final class Series {
        private final long[] seconds = new long[RING_SECONDS];
        private final long[] requests = new long[RING_SECONDS];
        private final long[] errors = new long[RING_SECONDS];
        private final LatencyHistogram[] latency = new LatencyHistogram[RING_SECONDS];
        private long newest = Long.MIN_VALUE;
        private long totalRequests;
        private long totalErrors;
        private LatencyHistogram totalLatency = LatencyHistogram.empty();

        boolean add(long second, long req, long err, LatencyHistogram lat) {
            totalRequests += req;
            totalErrors += err;
            totalLatency = totalLatency.plus(lat);
            if (newest != Long.MIN_VALUE && second <= newest - RING_SECONDS) {
                return false;
            }
            newest = Math.max(newest, second);
            int i = (int) Math.floorMod(second, (long) RING_SECONDS);
            if (seconds[i] != second || latency[i] == null) {
                seconds[i] = second;
                requests[i] = 0;
                errors[i] = 0;
                latency[i] = LatencyHistogram.empty();
            }
            requests[i] += req;
            errors[i] += err;
            latency[i] = latency[i].plus(lat);
            return true;
        }

        CanaryWindow window(long nowSecond, int length) {
            long req = 0;
            long err = 0;
            LatencyHistogram lat = LatencyHistogram.empty();
            for (long sec = nowSecond - length + 1; sec <= nowSecond; sec++) {
                int i = (int) Math.floorMod(sec, (long) RING_SECONDS);
                if (latency[i] != null && seconds[i] == sec) {
                    req += requests[i];
                    err += errors[i];
                    lat = lat.plus(latency[i]);
                }
            }
            return new CanaryWindow(length, req, err, lat);
        }
    }
}
