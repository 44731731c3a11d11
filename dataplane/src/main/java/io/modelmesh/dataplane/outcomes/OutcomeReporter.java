package io.modelmesh.dataplane.outcomes;

import io.modelmesh.api.FeatureRows;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ShadowOutcome;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.shadow.ShadowLedger;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends the node's {@link OutcomeReport} every interval ({@code POST /nodes/{id}/outcomes}). Version outcomes are
 * deltas of the recorder's cumulative totals against the last totals the control plane accepted, and shadow outcomes
 * are held until accepted, so a failed post loses nothing: its window is merged into the next report. Versions and
 * shadows with no requests in the window are left out; an empty report is not sent. A window never spans two routing
 * revisions: {@link #cut} closes it when the node switches (without I/O), and the next tick sends the closed windows
 * first, each with the revision it was served under — so the control plane can tell a canary's outcomes from those of
 * the strategy before it. Runs on one virtual thread; {@link #tick()} is public so tests drive windows by hand.
 */
public final class OutcomeReporter implements AutoCloseable {
    private static final Logger LOG = System.getLogger(OutcomeReporter.class.getName());

    /**
     * Where reports go (the control plane); throws when the report was not accepted: {@link Refused} when it never
     * will be (the report is then dropped and counted), anything else when it may later (it is sent again).
     */
    @FunctionalInterface
    public interface Sink {
        void send(OutcomeReport report) throws Exception;
    }

    /** The control plane refused the report for good (a 4xx): sending it again would get the same answer. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final String nodeId;
    private final OutcomeRecorder recorder;
    private final ShadowLedger shadows;
    private final Supplier<List<FeatureRows>> features;
    private final Supplier<ServingTable> tables;
    private final Sink sink;
    private final Clock clock;
    private final Duration interval;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Map<OutcomeRecorder.Key, OutcomeRecorder.Totals> sent = new HashMap<>();
    private Instant from;
    /** Windows closed by revision switches, not yet accepted; oldest first, at most {@link #MAX_CLOSED}. */
    private final java.util.ArrayDeque<OutcomeReport> closed = new java.util.ArrayDeque<>();
    private long closedDropped;
    private long refused;
    /** When every window closed until then had been delivered (or had nothing to deliver). */
    private volatile Instant deliveredThrough;
    private boolean warned;
    private Thread thread;

    public OutcomeReporter(String nodeId, OutcomeRecorder recorder, ShadowLedger shadows,
                           Supplier<ServingTable> tables, Sink sink, Clock clock, Duration interval) {
        this(nodeId, recorder, shadows, List::of, tables, sink, clock, interval);
    }

    /** @param features the window's sampled feature rows (the drift sampler's drain), taken at each window's close */
    public OutcomeReporter(String nodeId, OutcomeRecorder recorder, ShadowLedger shadows,
                           Supplier<List<FeatureRows>> features, Supplier<ServingTable> tables, Sink sink, Clock clock,
                           Duration interval) {
        this.nodeId = nodeId;
        this.recorder = recorder;
        this.shadows = shadows;
        this.features = features;
        this.tables = tables;
        this.sink = sink;
        this.clock = clock;
        this.interval = interval;
        this.from = clock.instant();
        this.deliveredThrough = from;
    }

    public OutcomeReporter start() {
        thread = Thread.ofVirtual().name("outcomes-" + nodeId).start(this::run);
        return this;
    }

    private void run() {
        try {
            while (!stop.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                tick();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closed windows kept while the control plane does not accept them (switches come from it, so few pile up). */
    static final int MAX_CLOSED = 64;

    /**
     * Closes the current window as served under {@code leaving} (the node is about to switch revisions); it is sent,
     * before the next window, at the next tick. No I/O: safe inside a switch.
     */
    public synchronized void cut(ServingTable leaving) {
        OutcomeReport report = collect(leaving, clock.instant());
        if (report == null) {
            return;
        }
        enqueue(report);
    }

    /** Queues a window; one under the same revision as the newest queued one is merged into it (nothing grows). */
    private void enqueue(OutcomeReport report) {
        OutcomeReport newest = closed.peekLast();
        if (newest != null && newest.servingRevision() == report.servingRevision()) {
            closed.removeLast();
            closed.addLast(merge(newest, report));
            return;
        }
        if (closed.size() >= MAX_CLOSED) {
            closed.removeFirst();
            closedDropped++;
        }
        closed.addLast(report);
    }

    /** Two consecutive windows under one revision as one: counts and latencies added, roles from the later. */
    static OutcomeReport merge(OutcomeReport a, OutcomeReport b) {
        Map<String, VersionOutcome> versions = new LinkedHashMap<>();
        for (VersionOutcome v : a.versions()) {
            versions.put(v.model() + "@" + v.version(), v);
        }
        for (VersionOutcome v : b.versions()) {
            versions.merge(v.model() + "@" + v.version(), v, (x, y) -> new VersionOutcome(y.model(), y.version(),
                    y.role(), x.requests() + y.requests(), x.errors() + y.errors(), x.latency().plus(y.latency())));
        }
        Map<ShadowLedger.Key, ShadowOutcome> shadowOutcomes = new LinkedHashMap<>();
        for (ShadowOutcome o : a.shadows()) {
            shadowOutcomes.put(new ShadowLedger.Key(o.model(), o.shadowVersion(), o.primaryVersion()), o);
        }
        for (ShadowOutcome o : b.shadows()) {
            shadowOutcomes.merge(new ShadowLedger.Key(o.model(), o.shadowVersion(), o.primaryVersion()), o,
                    ShadowLedger::merge);
        }
        Map<String, FeatureRows> rows = new LinkedHashMap<>();
        for (FeatureRows f : a.features()) {
            rows.put(f.model() + "@" + f.version(), f);
        }
        for (FeatureRows f : b.features()) {
            rows.merge(f.model() + "@" + f.version(), f, OutcomeReporter::merge);
        }
        return new OutcomeReport(b.nodeId(), b.servingRevision(), a.from(), b.to(),
                new ArrayList<>(versions.values()), new ArrayList<>(shadowOutcomes.values()),
                new ArrayList<>(rows.values()));
    }

    /** Two windows' samples of one version: the rows of both up to the larger sample's size, counts added. */
    static FeatureRows merge(FeatureRows x, FeatureRows y) {
        int cap = Math.max(x.rows().size(), y.rows().size());
        List<float[]> rows = new ArrayList<>(y.rows());
        for (float[] r : x.rows()) {
            if (rows.size() >= cap) {
                break;
            }
            rows.add(r);
        }
        return new FeatureRows(y.model(), y.version(), rows, x.seen() + y.seen(), x.dropped() + y.dropped());
    }

    /** Closed windows dropped because too many waited for a control plane that did not accept them. */
    public synchronized long closedDropped() {
        return closedDropped;
    }

    /**
     * Closes the window: builds the report and sends it (after any windows closed by switches).
     *
     * @return the report that was accepted, or null when there was nothing to send or it was not accepted
     */
    public synchronized OutcomeReport tick() {
        Instant now = clock.instant();
        OutcomeReport current = collect(tables.get(), now);
        if (current != null) {
            enqueue(current);
        }
        OutcomeReport last = null;
        while (!closed.isEmpty()) {
            OutcomeReport report = closed.peekFirst();
            try {
                sink.send(report);
            } catch (Refused e) {
                closed.removeFirst(); // it would block every later window; the control plane said why
                refused++;
                LOG.log(Level.WARNING, "node {0}: the control plane refused an outcome report of revision {1} for "
                        + "good ({2}); it is dropped", nodeId, report.servingRevision(), e.getMessage());
                continue;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (!warned) {
                    LOG.log(Level.WARNING, "node {0}: outcome report not accepted ({1}); it is sent again with the "
                            + "next one", nodeId, e.getMessage());
                    warned = true;
                }
                return null;
            }
            warned = false;
            closed.removeFirst();
            last = report;
        }
        deliveredThrough = now;
        return last;
    }

    /** How long ago (ms) every window the node closed had been delivered: grows while reports do not get through. */
    public long lagMillis() {
        return Math.max(0, java.time.Duration.between(deliveredThrough, clock.instant()).toMillis());
    }

    /** Reports the control plane refused for good, dropped. */
    public synchronized long refused() {
        return refused;
    }

    /**
     * The window since the last collected one as a report under {@code table}'s revision, or null when nothing
     * happened in it; either way the next window starts now.
     */
    private OutcomeReport collect(ServingTable table, Instant to) {
        Map<OutcomeRecorder.Key, OutcomeRecorder.Totals> now = recorder.snapshot();
        List<VersionOutcome> versions = versions(now, table);
        List<ShadowOutcome> shadowOutcomes = shadows.drain();
        List<FeatureRows> rows = features.get();
        Instant start = from;
        from = to;
        sent = now;
        if (versions.isEmpty() && shadowOutcomes.isEmpty() && rows.isEmpty()) {
            return null; // a quiet window: nothing to say about it
        }
        return new OutcomeReport(nodeId, table.revision(), start, to, versions, shadowOutcomes, rows);
    }

    private List<VersionOutcome> versions(Map<OutcomeRecorder.Key, OutcomeRecorder.Totals> now, ServingTable table) {
        List<VersionOutcome> out = new ArrayList<>();
        now.forEach((k, t) -> {
            OutcomeRecorder.Totals before = sent.getOrDefault(k, OutcomeRecorder.Totals.ZERO);
            long requests = t.requests() - before.requests();
            if (requests > 0) {
                out.add(new VersionOutcome(k.model(), k.version(), role(table, k), requests,
                        t.errors() - before.errors(), t.latencySince(before)));
            }
        });
        out.sort(Comparator.comparing(VersionOutcome::model).thenComparing(VersionOutcome::version));
        return out;
    }

    /** The version's role in the served table, or null when the table no longer names it. */
    private static RouteTarget.Role role(ServingTable table, OutcomeRecorder.Key k) {
        ServedModel m = table.models().get(k.model());
        ServedVersion v = m == null ? null : m.versions().get(k.version());
        return v == null ? null : v.target().role();
    }

    @Override
    public void close() {
        stop.countDown();
        if (thread != null) {
            thread.interrupt();
        }
    }
}
