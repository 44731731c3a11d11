package io.modelmesh.dataplane.drift;

import io.modelmesh.api.FeatureRows;
import io.modelmesh.engine.FloatBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Samples the feature rows a node serves, for drift detection, off the request path. A request thread only
 * {@link #offer}s its rows: two map lookups and a counter for its version, a coin flip against the version's pass
 * probability, and, for the requests that pass, one atomic add and a lock-free enqueue (a batch of more than
 * {@value #MAX_ROWS_PER_OFFER} rows is cut to a random slice of that many, copied, so a queued task never holds a big
 * request's memory). The pass probability is set at each report from the version's traffic in the last one, so that
 * about {@value #PASS_FACTOR} times {@code rowsPerReport} rows per version and report reach the worker whatever the
 * traffic: the worker's work is bounded, and below that rate every request passes. When the queue holds
 * {@code queueValues} values, rows are dropped and counted instead — the request never waits. A worker (a virtual
 * thread waking every {@value #WORKER_PAUSE_MS} ms, so requests never wake anything) moves queued rows into one
 * weighted reservoir per version (Efraimidis–Spirakis: each row's key is {@code u^(1/w)}, w the rows it stands for,
 * the {@code rowsPerReport} highest keys kept), which {@link #drain} hands to the outcome report: a uniform sample of
 * the rows the version served in the window. Inputs wider than {@value #MAX_VALUES_PER_ROW} values per row are not
 * sampled.
 */
public final class FeatureSampler implements AutoCloseable {
    /** Widest row sampled (the control plane's bound too). */
    public static final int MAX_VALUES_PER_ROW = 256;
    /** Rows one offer queues at most. */
    static final int MAX_ROWS_PER_OFFER = 32;
    /** Values in one report, all versions together: keeps the report far below the control plane's 1 MiB. */
    static final int MAX_VALUES_PER_REPORT = 50_000;
    static final long WORKER_PAUSE_MS = 50;
    /** Rows passed to the worker per version and report, as a multiple of the rows a report carries. */
    static final int PASS_FACTOR = 4;

    private record Key(String model, String version) {
    }

    /** One version's counters on the request path and its pass probability for the current window. */
    private static final class Gate {
        final Key key;
        final LongAdder offered = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder dropped = new LongAdder();
        volatile double pass = 1.0;

        Gate(Key key) {
            this.key = key;
        }
    }

    /** Rows of one offer: {@code rows} rows standing for {@code served} rows. */
    private record Task(Key key, float[] values, int rows, int cols, int served) {
    }

    /** A row in a reservoir with its key. */
    private record Keyed(double key, float[] row) {
    }

    /** One version's sample of the current window. */
    private static final class Reservoir {
        final PriorityQueue<Keyed> heap = new PriorityQueue<>(Comparator.comparingDouble(Keyed::key));
        long seen;
    }

    private final SamplerConfig config;
    private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedValues = new AtomicInteger();
    private final ConcurrentMap<String, ConcurrentMap<String, Gate>> gates = new ConcurrentHashMap<>();
    private final LongAdder droppedTotal = new LongAdder();
    private final ReentrantLock lock = new ReentrantLock();
    private Map<Key, Reservoir> reservoirs = new HashMap<>();
    private volatile boolean closed;
    private Thread worker;

    public FeatureSampler(SamplerConfig config) {
        this.config = config;
    }

    /** A sampler that samples nothing (sampling off, and tests that do not care). */
    public static FeatureSampler off() {
        return new FeatureSampler(new SamplerConfig(0, SamplerConfig.DEFAULT_QUEUE));
    }

    /** Starts the worker; returns this. Without it, {@link #drain} still moves queued rows (tests drive it so). */
    public FeatureSampler start() {
        if (config.rowsPerReport() > 0) {
            worker = Thread.ofVirtual().name("drift-sampler").start(this::run);
        }
        return this;
    }

    /** Offers the rows a version just answered (request thread: never blocks, never waits). */
    public void offer(String model, String version, FloatBatch batch) {
        int cols = batch.cols();
        if (config.rowsPerReport() == 0 || cols > MAX_VALUES_PER_ROW || closed) {
            return;
        }
        Gate gate = gate(model, version);
        gate.offered.add(batch.rows());
        double pass = gate.pass;
        if (pass < 1 && ThreadLocalRandom.current().nextDouble() >= pass) {
            gate.skipped.add(batch.rows());
            return;
        }
        int rows = Math.min(batch.rows(), MAX_ROWS_PER_OFFER);
        int values = rows * cols;
        if (queuedValues.addAndGet(values) > config.queueValues()) {
            queuedValues.addAndGet(-values);
            gate.dropped.add(batch.rows());
            droppedTotal.add(batch.rows());
            return;
        }
        float[] data;
        if (rows == batch.rows() && batch.values().length == values) {
            data = batch.values(); // parsed for this request only and never written again: no copy needed
        } else {
            int first = rows == batch.rows() ? 0 : ThreadLocalRandom.current().nextInt(batch.rows() - rows + 1);
            data = new float[values];
            System.arraycopy(batch.values(), first * cols, data, 0, values);
        }
        queue.add(new Task(gate.key, data, rows, cols, batch.rows()));
    }

    private Gate gate(String model, String version) {
        ConcurrentMap<String, Gate> versions = gates.get(model);
        if (versions == null) {
            versions = gates.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        }
        Gate g = versions.get(version);
        return g != null ? g : versions.computeIfAbsent(version, v -> new Gate(new Key(model, v)));
    }

    /** Values waiting for the worker. */
    public int queuedValues() {
        return queuedValues.get();
    }

    /** Rows dropped because the queue was full, since start. */
    public long droppedTotal() {
        return droppedTotal.sum();
    }

    /**
     * The window's samples, one entry per version that served rows (or dropped some), and a fresh window. At most
     * {@code rowsPerReport} rows per version and {@value #MAX_VALUES_PER_REPORT} values in all.
     */
    public List<FeatureRows> drain() {
        if (config.rowsPerReport() == 0) {
            return List.of();
        }
        Map<Key, Reservoir> window;
        lock.lock();
        try {
            process();
            window = reservoirs;
            reservoirs = new HashMap<>();
        } finally {
            lock.unlock();
        }
        Map<Key, long[]> counts = closeGates();
        List<FeatureRows> out = new ArrayList<>();
        int perVersion = MAX_VALUES_PER_REPORT / Math.max(1, window.size());
        window.forEach((key, r) -> {
            long[] c = counts.remove(key);
            out.add(new FeatureRows(key.model(), key.version(), sample(r, perVersion), r.seen + (c == null ? 0 : c[0]),
                    c == null ? 0 : c[1]));
        });
        counts.forEach((key, c) -> {
            if (c[0] > 0 || c[1] > 0) {
                out.add(new FeatureRows(key.model(), key.version(), List.of(), c[0], c[1]));
            }
        });
        out.sort(Comparator.comparing(FeatureRows::model).thenComparing(FeatureRows::version));
        return out;
    }

    /**
     * Reads and resets every version's counters and sets its pass probability for the next window.
     *
     * @return per version with traffic: rows not passed (skipped) and rows dropped
     */
    private Map<Key, long[]> closeGates() {
        Map<Key, long[]> counts = new HashMap<>();
        int k = config.rowsPerReport();
        gates.forEach((model, versions) -> versions.forEach((version, g) -> {
            long offered = g.offered.sumThenReset();
            long skipped = g.skipped.sumThenReset();
            long drops = g.dropped.sumThenReset();
            g.pass = offered <= (long) PASS_FACTOR * k ? 1.0 : (double) PASS_FACTOR * k / offered;
            if (offered == 0 && skipped == 0 && drops == 0) {
                versions.remove(version, g); // not served in a whole window: its next request makes a new gate
            } else {
                counts.put(g.key, new long[]{skipped, drops});
            }
        }));
        return counts;
    }

    /** The reservoir's rows, at most {@code values} values of them. */
    private static List<float[]> sample(Reservoir r, int values) {
        List<float[]> rows = new ArrayList<>(r.heap.size());
        int budget = r.heap.isEmpty() ? 0 : Math.max(1, values / r.heap.peek().row().length);
        for (Keyed kr : r.heap) {
            if (rows.size() >= budget) {
                break;
            }
            rows.add(kr.row());
        }
        return rows;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(WORKER_PAUSE_MS);
            } catch (InterruptedException e) {
                return;
            }
            lock.lock();
            try {
                process();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Moves every queued task into its version's reservoir (holding the lock). */
    private void process() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int k = config.rowsPerReport();
        for (Task t = queue.poll(); t != null; t = queue.poll()) {
            queuedValues.addAndGet(-t.rows() * t.cols());
            Reservoir r = reservoirs.computeIfAbsent(t.key(), x -> new Reservoir());
            r.seen += t.served();
            double weight = (double) t.served() / t.rows();
            for (int i = 0; i < t.rows(); i++) {
                double u = random.nextDouble();
                double key = weight == 1 ? u : Math.pow(u, 1 / weight);
                if (r.heap.size() < k) {
                    r.heap.add(new Keyed(key, row(t, i)));
                } else if (key > r.heap.peek().key()) {
                    r.heap.poll();
                    r.heap.add(new Keyed(key, row(t, i)));
                }
            }
        }
    }

    private static float[] row(Task t, int i) {
        float[] row = new float[t.cols()];
        System.arraycopy(t.values(), i * t.cols(), row, 0, t.cols());
        return row;
    }

    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
