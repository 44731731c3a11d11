package io.modelmesh.dataplane.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ShadowSample;
import io.modelmesh.dataplane.inference.ParsedInput;
import io.modelmesh.dataplane.inference.PredictionRequest;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Runs shadow versions off the request path. A request thread only {@link #offer}s (never blocks: a full queue drops
 * and counts); one virtual worker thread takes each task, runs the shadow version's model directly (not through the
 * prediction cache or a batcher) on the same body parsed with the shadow's own input binding, and records the
 * {@link ShadowComparison} with the user's answer in the {@link ShadowLedger}. Metrics:
 * {@code shadow_events_total{model,version,result}} with result mirrored, dropped, failed or compared.
 */
public final class ShadowMirror implements AutoCloseable {
    /** Request bodies kept in samples are cut to this many characters. */
    public static final int MAX_SAMPLE_INPUT = 2048;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Task(ShadowLedger.Key key, PredictionRequest request, BatchResult primary, long primaryNanos,
                        Instant at, Runnable release) {
    }

    private final BlockingQueue<Task> queue;
    private final Supplier<ServingTable> tables;
    private final ShadowLedger ledger;
    private final PredictionMetrics metrics;
    private final Clock clock;
    private volatile boolean closed;
    private Thread worker;

    public ShadowMirror(int capacity, Supplier<ServingTable> tables, ShadowLedger ledger, PredictionMetrics metrics,
                        Clock clock) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.tables = tables;
        this.ledger = ledger;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts the worker; returns this. */
    public ShadowMirror start() {
        worker = Thread.ofVirtual().name("shadow-mirror").start(this::run);
        return this;
    }

    /** Queues a copy of an answered request for the shadow; drops and counts when the queue is full. */
    public void offer(String model, String shadowVersion, String primaryVersion, PredictionRequest request,
                      BatchResult primary, long primaryNanos) {
        ShadowLedger.Key key = new ShadowLedger.Key(model, shadowVersion, primaryVersion);
        Runnable release = request.retain(); // the body stays counted against the node's budget while queued
        if (queue.offer(new Task(key, request, primary, primaryNanos, clock.instant(), release))) {
            ledger.mirrored(key);
            metrics.shadowEvent(model, shadowVersion, "mirrored");
        } else {
            release.run();
            ledger.dropped(key);
            metrics.shadowEvent(model, shadowVersion, "dropped");
        }
    }

    /** Tasks waiting for the worker. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        while (!closed) {
            try {
                Task t = queue.take();
                try {
                    process(t);
                } finally {
                    t.release().run();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.getLogger(ShadowMirror.class.getName()).log(System.Logger.Level.WARNING,
                        "shadow comparison failed: " + e, e);
            }
        }
    }

    private void process(Task t) {
        ShadowLedger.Key k = t.key();
        ServedModel m = tables.get().models().get(k.model());
        ServedVersion v = m == null ? null : m.versions().get(k.shadowVersion());
        if (v == null || !v.handle().acquire()) {
            fail(t, "shadow version " + k.shadowVersion() + " is no longer served on this node", 0);
            return;
        }
        long start = System.nanoTime();
        BatchResult shadow;
        try {
            ParsedInput in = t.request().parse(v.handle().binding());
            shadow = v.handle().model().predict(in.batch());
        } catch (RuntimeException e) {
            fail(t, e.getClass().getSimpleName() + ": " + e.getMessage(), System.nanoTime() - start);
            return;
        } finally {
            v.handle().release();
        }
        double shadowMs = (System.nanoTime() - start) / 1e6;
        double primaryMs = t.primaryNanos() / 1e6;
        ShadowComparison c = ShadowComparison.of(t.primary(), shadow);
        ledger.compared(k, c, shadowMs - primaryMs, () -> new ShadowSample(t.at(), t.request().requestId(),
                input(t.request()), json(t.primary()), json(shadow), null, c.labelsAgree(), c.maxAbsDiff(),
                primaryMs, shadowMs));
        metrics.shadowCompared(k.model(), k.shadowVersion(), c.labelsAgree());
    }

    private void fail(Task t, String why, long shadowNanos) {
        ShadowLedger.Key k = t.key();
        ledger.failed(k, () -> new ShadowSample(t.at(), t.request().requestId(), input(t.request()),
                json(t.primary()), null, why, null, Double.NaN, t.primaryNanos() / 1e6, shadowNanos / 1e6));
        metrics.shadowEvent(k.model(), k.shadowVersion(), "failed");
    }

    private static String input(PredictionRequest request) {
        String s = request.bodyText();
        return s.length() > MAX_SAMPLE_INPUT ? s.substring(0, MAX_SAMPLE_INPUT) : s;
    }

    /** Outputs as compact JSON: {@code {name: [flat values]}}. */
    static String json(BatchResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (OutputTensor t : r.outputs()) {
            m.put(t.name(), t.data());
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            return "{\"error\":\"outputs not renderable\"}";
        }
    }

    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
