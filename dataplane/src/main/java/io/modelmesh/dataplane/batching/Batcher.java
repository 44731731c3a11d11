package io.modelmesh.dataplane.batching;

import io.modelmesh.api.PowerOfTwoChoices;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * Dynamic batching for one model version: concurrent requests are merged into one engine call of up to
 * {@code maxBatchSize} rows, and each caller gets back exactly its own rows' outputs. No HTTP here.
 *
 * <p><b>Slots.</b> {@code K} workers, each with its own bounded queue and platform daemon thread
 * ({@code batcher-MODEL-VERSION-i}). A submit goes to the less loaded (queued plus running rows) of two random slots —
 * power of two choices: one shared queue would make every submit and every worker contend on one lock, and
 * round-robin ignores that batches take different times; two random looks come close to least-loaded without reading
 * every slot.
 *
 * <p><b>Forming a batch.</b> A worker takes its first queued request, adds whatever queued behind it fits, and, if the
 * batch is not full, waits for more only for the <em>remaining</em> delay: the deadline is the first request's enqueue
 * time plus {@code maxLatencyNanos}, so a request never waits longer than the policy says however many wake-ups it
 * takes. Requests of a different row width are never merged (they run in a batch of their own). A request larger than
 * {@code maxBatchSize} runs alone, unsplit. See {@link BatchAssembler}.
 *
 * <p><b>Overload.</b> Queues are bounded in rows; a submit to a full slot throws {@link QueueFullException} at once
 * (counted in {@link #rejected()}). Blocking the caller would only move the queue into the server's threads, and an
 * unbounded queue turns a burst into timeouts for everyone; refusing early lets the client back off or go elsewhere.
 *
 * <p><b>Failures.</b> If an engine call throws, the requests of that batch — and only those — fail with the exception;
 * the worker carries on. An output whose first dimension is not the batch's rows cannot be split and fails the batch
 * with an {@link io.modelmesh.engine.InferenceException}.
 *
 * <p><b>Threads.</b> Futures are completed on the worker thread, so callers should wait on them ({@code join}/{@code
 * get}) or use the {@code *Async} stages, not hang slow work on them. The policy can be changed while running
 * ({@link #configure}). {@link #shutdown()} stops accepting and lets the workers finish what is queued;
 * {@link #close()} also waits for them.
 */
public final class Batcher implements AutoCloseable {
    private static final IntUnaryOperator RANDOM = bound -> ThreadLocalRandom.current().nextInt(bound);

    private final String name;
    private final Slot[] slots;
    private final Thread[] threads;
    private final IntUnaryOperator random;
    private final IntUnaryOperator loadOf;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private volatile BatchPolicy policy;
    private volatile boolean shutdown;

    Batcher(String model, String version, Function<FloatBatch, BatchResult> engine, BatchPolicy policy, int workers,
            LongSupplier nanoTime, IntUnaryOperator random) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.name = "batcher " + model + "@" + version;
        this.policy = policy;
        this.random = random;
        this.slots = new Slot[workers];
        this.threads = new Thread[workers];
        for (int i = 0; i < workers; i++) {
            slots[i] = new Slot(name, policy, engine, nanoTime, batches);
            threads[i] = Thread.ofPlatform().daemon().name("batcher-" + model + "-" + version + "-" + i)
                    .unstarted(slots[i]);
        }
        this.loadOf = i -> slots[i].load();
    }

    /** Starts a batcher with one slot per available processor, on the system clock. */
    public static Batcher start(String model, String version, Function<FloatBatch, BatchResult> engine,
                                BatchPolicy policy) {
        return start(model, version, engine, policy, Runtime.getRuntime().availableProcessors(), System::nanoTime);
    }

    /**
     * Starts a batcher and its worker threads.
     *
     * @param engine   one call per batch, typically {@code model::predict}; called from the worker threads,
     *                 concurrently when {@code workers > 1}
     * @param workers  slots, each with its own queue and thread
     * @param nanoTime the clock deadlines are measured on ({@code System::nanoTime})
     */
    public static Batcher start(String model, String version, Function<FloatBatch, BatchResult> engine,
                                BatchPolicy policy, int workers, LongSupplier nanoTime) {
        Batcher b = new Batcher(model, version, engine, policy, workers, nanoTime, RANDOM);
        b.startThreads();
        return b;
    }

    void startThreads() {
        for (Thread t : threads) {
            t.start();
        }
    }

    /**
     * Queues rows (validated against the model already) for the next batch of a slot picked by power of two choices.
     *
     * @return completes with exactly these rows' outputs, or with the engine's failure for their batch
     * @throws QueueFullException     when the picked slot is at capacity (never blocks)
     * @throws BatcherClosedException after {@link #shutdown()}
     */
    public CompletableFuture<BatchResult> submit(FloatBatch rows) {
        return submit(rows, Pending.NO_DEADLINE);
    }

    /**
     * The same, for a request with a deadline: if it passes while the rows are still queued, they are not run and the
     * future fails with {@link ExpiredException}. A caller that stops waiting should {@code cancel} the future, so the
     * rows are not run either.
     *
     * @param deadline on the batcher's clock
     */
    public CompletableFuture<BatchResult> submit(FloatBatch rows, long deadline) {
        if (shutdown) {
            throw new BatcherClosedException(name + " is shut down; retry");
        }
        Slot slot = slots[PowerOfTwoChoices.pick(slots.length, loadOf, random)];
        try {
            return slot.submit(rows, deadline);
        } catch (QueueFullException e) {
            rejected.increment();
            throw e;
        }
    }

    /** Changes batch size and delay (keeping the queue capacity's default rule) for queued and future requests. */
    public void configure(int maxBatchSize, long maxLatencyNanos) {
        configure(BatchPolicy.of(maxBatchSize, maxLatencyNanos));
    }

    /** Applies a new policy (from a new routing revision) to queued and future requests. */
    public void configure(BatchPolicy next) {
        policy = next;
        for (Slot s : slots) {
            s.configure(next);
        }
    }

    public BatchPolicy policy() {
        return policy;
    }

    public int workers() {
        return slots.length;
    }

    Slot slot(int i) {
        return slots[i];
    }

    /** Rows queued across all slots (not counting batches running now). */
    public int queuedRows() {
        int sum = 0;
        for (Slot s : slots) {
            sum += s.queuedRows();
        }
        return sum;
    }

    /** Each slot's load as power of two choices sees it: queued plus running rows. */
    public int[] slotLoads() {
        int[] loads = new int[slots.length];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = slots[i].load();
        }
        return loads;
    }

    /** Submits refused because the picked slot was full. */
    public long rejected() {
        return rejected.sum();
    }

    /** Engine calls made so far (rows divided by batches is the mean batch size). */
    public long batches() {
        return batches.sum();
    }

    /**
     * Stops accepting submits; the workers run everything already queued without further delay, then end. Returns at
     * once. Idempotent.
     */
    public void shutdown() {
        shutdown = true;
        for (Slot s : slots) {
            s.close();
        }
    }

    /** Waits until every worker has drained its queue and ended; false if the timeout passed first. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #shutdown()} and wait for the queued work to finish. Called from one of this batcher's own workers (say,
     * from a callback on a future), it does not wait — that would wait for itself — and the workers end on their own.
     * Idempotent; an interrupt ends the wait early (the workers still drain) and stays set.
     */
    @Override
    public void close() {
        shutdown();
        Thread current = Thread.currentThread();
        for (Thread t : threads) {
            if (t == current) {
                return;
            }
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
