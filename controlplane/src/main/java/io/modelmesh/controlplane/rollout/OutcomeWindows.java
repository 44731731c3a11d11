package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.controlplane.nodes.OutcomeSink;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per model and version: per-second buckets of the nodes' outcome reports (a ring of the last {@link #RING_SECONDS}
 * seconds, keyed by each report's end time) and totals since the model's current strategy started. In memory: it
 * starts empty when the control plane restarts.
 */
public final class OutcomeWindows implements OutcomeSink {
    /** Seconds of per-second history kept; longer windows are cut to this. */
    public static final int RING_SECONDS = 600;

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
                ModelSeries m = models.computeIfAbsent(v.model(), k -> new ModelSeries(clock.instant()));
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
    public synchronized void reset(String model, Instant since, long revision) {
        ModelSeries m = new ModelSeries(since);
        m.fromRevision = revision;
        models.put(model, m);
    }

    /** Version entries left out because their report came from a node serving an older strategy's revision. */
    public long stale() {
        return stale.get();
    }

    /** The version's outcomes in the seconds {@code (now - seconds, now]}. */
    public synchronized CanaryWindow window(String model, String version, int seconds, Instant now) {
        int length = Math.min(seconds, RING_SECONDS);
        ModelSeries m = models.get(model);
        Series s = m == null ? null : m.versions.get(version);
        return s == null ? CanaryWindow.empty(length) : s.window(now.getEpochSecond(), length);
    }

    /** Per version: totals since {@link #since}, in version order of first report. */
    public synchronized Map<String, CanaryWindow> totals(String model) {
        Map<String, CanaryWindow> out = new LinkedHashMap<>();
        ModelSeries m = models.get(model);
        if (m != null) {
            m.versions.forEach((v, s) -> out.put(v, new CanaryWindow(0, s.totalRequests, s.totalErrors,
                    s.totalLatency)));
        }
        return out;
    }

    /**
     * For metrics: per model with a canary on {@code table}, each of its versions' server-error share since its
     * strategy started ({@code [model, version]} to a rate; versions without requests are left out).
     */
    public synchronized Map<List<String>, Double> canaryErrorRates(RoutingTable table) {
        Map<List<String>, Double> out = new HashMap<>();
        table.models().forEach((model, route) -> {
            ModelSeries m = models.get(model);
            if (m == null || route.targets().stream().noneMatch(t -> t.role() == RouteTarget.Role.CANARY)) {
                return;
            }
            m.versions.forEach((v, s) -> {
                if (s.totalRequests > 0) {
                    out.put(List.of(model, v), (double) s.totalErrors / s.totalRequests);
                }
            });
        });
        return out;
    }

    /** When the model's totals started (its strategy's start, or the first report after a restart). */
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
