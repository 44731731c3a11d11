package io.modelmesh.dataplane.outcomes;

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
 * shadows with no requests in the window are left out; an empty report is not sent. Runs on one virtual thread;
 * {@link #tick()} is public so tests drive windows by hand.
 */
public final class OutcomeReporter implements AutoCloseable {
    private static final Logger LOG = System.getLogger(OutcomeReporter.class.getName());

    /** Where reports go (the control plane); throws when the report was not accepted. */
    @FunctionalInterface
    public interface Sink {
        void send(OutcomeReport report) throws Exception;
    }

    private final String nodeId;
    private final OutcomeRecorder recorder;
    private final ShadowLedger shadows;
    private final Supplier<ServingTable> tables;
    private final Sink sink;
    private final Clock clock;
    private final Duration interval;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Map<OutcomeRecorder.Key, OutcomeRecorder.Totals> sent = new HashMap<>();
    private Map<ShadowLedger.Key, ShadowOutcome> unsentShadows = new LinkedHashMap<>();
    private Instant from;
    private boolean warned;
    private Thread thread;

    public OutcomeReporter(String nodeId, OutcomeRecorder recorder, ShadowLedger shadows,
                           Supplier<ServingTable> tables, Sink sink, Clock clock, Duration interval) {
        this.nodeId = nodeId;
        this.recorder = recorder;
        this.shadows = shadows;
        this.tables = tables;
        this.sink = sink;
        this.clock = clock;
        this.interval = interval;
        this.from = clock.instant();
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

    /**
     * Closes the window: builds the report and sends it.
     *
     * @return the report that was accepted, or null when there was nothing to send or it was not accepted
     */
    public synchronized OutcomeReport tick() {
        Instant to = clock.instant();
        ServingTable table = tables.get();
        Map<OutcomeRecorder.Key, OutcomeRecorder.Totals> now = recorder.snapshot();
        List<VersionOutcome> versions = versions(now, table);
        for (ShadowOutcome o : shadows.drain()) {
            unsentShadows.merge(new ShadowLedger.Key(o.model(), o.shadowVersion(), o.primaryVersion()), o,
                    ShadowLedger::merge);
        }
        if (versions.isEmpty() && unsentShadows.isEmpty()) {
            from = to; // a quiet window: nothing to say about it
            return null;
        }
        OutcomeReport report = new OutcomeReport(nodeId, table.revision(), from, to, versions,
                new ArrayList<>(unsentShadows.values()));
        try {
            sink.send(report);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!warned) {
                LOG.log(Level.WARNING, "node {0}: outcome report not accepted ({1}); it is merged into the next one",
                        nodeId, e.getMessage());
                warned = true;
            }
            return null;
        }
        warned = false;
        sent = now;
        unsentShadows = new LinkedHashMap<>();
        from = to;
        return report;
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
