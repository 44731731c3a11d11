package io.modelmesh.dataplane.batching;

import io.modelmesh.dataplane.Await;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The batcher with its slots: slot choice and overload on a batcher whose threads are not started (deterministic), then
 * a few runs on real threads that assert only outcomes — every caller gets its own answer, close drains — never timing.
 * The timeouts are hang guards, not expectations.
 */
@Timeout(60)
class BatcherTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** [N] FP32: each row's first value times 2; [N, 2] FP32: the row as given. Depends on the row alone. */
    private static final Function<FloatBatch, BatchResult> ECHO = b -> {
        float[] doubled = new float[b.rows()];
        float[] row = new float[b.rows() * 2];
        for (int r = 0; r < b.rows(); r++) {
            doubled[r] = b.values()[r * b.cols()] * 2;
            System.arraycopy(b.values(), r * b.cols(), row, r * 2, 2);
        }
        return new BatchResult(List.of(new OutputTensor("doubled", "FP32", new long[]{b.rows()}, doubled),
                new OutputTensor("row", "FP32", new long[]{b.rows(), 2}, row)));
    };

    private static FloatBatch rows(int n, float base) {
        float[] v = new float[n * 2];
        for (int r = 0; r < n; r++) {
            v[r * 2] = base + r;
            v[r * 2 + 1] = -(base + r);
        }
        return new FloatBatch(v, n, 2);
    }

    private static void assertAnswers(BatchResult result, int n, float base) {
        float[] doubled = (float[]) result.outputs().get(0).data();
        assertEquals(n, doubled.length);
        for (int r = 0; r < n; r++) {
            assertEquals((base + r) * 2, doubled[r]);
        }
        assertArrayEquals(rows(n, base).values(), (float[]) result.outputs().get(1).data());
        assertArrayEquals(new long[]{n, 2}, result.outputs().get(1).shape());
    }

    /** Random draws from a script, so power of two choices looks at known slots. */
    private static IntUnaryOperator scripted(int... draws) {
        Deque<Integer> left = new ArrayDeque<>();
        for (int d : draws) {
            left.add(d);
        }
        return bound -> {
            int d = left.removeFirst();
            assertTrue(d < bound);
            return d;
        };
    }

    private static Batcher unstarted(BatchPolicy policy, int workers, IntUnaryOperator random) {
        return new Batcher("m", "1.0.0", ECHO, policy, workers, () -> 0L, random);
    }

    @Test
    void submitGoesToTheLessLoadedOfTwoRandomSlots() {
        // draws per submit: a in [0, 4), then b in [0, 3) shifted past a
        Batcher b = unstarted(new BatchPolicy(100, HOUR, 1000), 4,
                scripted(2, 0, /* tie: a */ 2, 0, /* 0 is emptier */ 2, 2, /* b = 3 */ 0, 0 /* b = 1 */));
        b.submit(rows(1, 0));
        assertArrayEquals(new int[]{0, 0, 1, 0}, b.slotLoads());
        b.submit(rows(1, 0));
        assertArrayEquals(new int[]{1, 0, 1, 0}, b.slotLoads());
        b.submit(rows(1, 0));
        assertArrayEquals(new int[]{1, 0, 1, 1}, b.slotLoads());
        b.submit(rows(2, 0));
        assertArrayEquals(new int[]{1, 2, 1, 1}, b.slotLoads());
        assertEquals(5, b.queuedRows());
    }

    @Test
    void fullQueueFailsFastAndIsCountedThenCloseDrainsWhatWasAccepted() throws Exception {
        Batcher b = unstarted(new BatchPolicy(4, HOUR, 8), 1, bound -> 0);
        List<CompletableFuture<BatchResult>> accepted = new ArrayList<>();
        accepted.add(b.submit(rows(4, 10)));
        accepted.add(b.submit(rows(3, 20)));
        accepted.add(b.submit(rows(1, 30)));
        assertThrows(QueueFullException.class, () -> b.submit(rows(1, 40)));
        assertThrows(QueueFullException.class, () -> b.submit(rows(2, 50)));
        assertEquals(2, b.rejected());
        assertEquals(8, b.queuedRows(), "a refused request is not queued");

        b.startThreads();
        b.close(); // the hour-long delay is not waited out: a closing slot flushes
        assertAnswers(accepted.get(0).get(), 4, 10);
        assertAnswers(accepted.get(1).get(), 3, 20);
        assertAnswers(accepted.get(2).get(), 1, 30);
        assertEquals(0, b.queuedRows());
        assertThrows(BatcherClosedException.class, () -> b.submit(rows(1, 60)));
        b.close(); // idempotent
    }

    @Test
    void concurrentCallersEachGetTheirOwnRows() throws Exception {
        int threads = 8;
        int perThread = 500;
        try (Batcher b = Batcher.start("m", "1.0.0", ECHO, BatchPolicy.of(16, TimeUnit.MICROSECONDS.toNanos(200)), 4,
                System::nanoTime)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i += 5) {
                            List<CompletableFuture<BatchResult>> burst = new ArrayList<>();
                            for (int j = 0; j < 5; j++) {
                                burst.add(b.submit(rows(1 + (i + j) % 3, thread * 10_000 + (i + j) * 4)));
                            }
                            for (int j = 0; j < 5; j++) {
                                assertAnswers(burst.get(j).get(30, TimeUnit.SECONDS), 1 + (i + j) % 3,
                                        thread * 10_000 + (i + j) * 4);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(); // rethrows a caller's failed assertion
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, b.rejected());
            assertTrue(b.batches() <= threads * perThread);
        }
    }

    @Test
    void closeDrainsQueuedWorkOnRunningWorkers() throws Exception {
        Batcher b = Batcher.start("m", "1.0.0", ECHO, BatchPolicy.of(1000, HOUR), 2, System::nanoTime);
        List<CompletableFuture<BatchResult>> pending = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pending.add(b.submit(rows(1, i)));
        }
        Await.until(() -> b.slot(0).workerWaiting() && b.slot(1).workerWaiting(), Duration.ofSeconds(30),
                "both workers to wait for company");
        b.close(); // wakes them: nothing more can join, so they run what they hold now
        for (int i = 0; i < 50; i++) {
            assertTrue(pending.get(i).isDone(), "close returns after the queue is drained");
            assertAnswers(pending.get(i).get(), 1, i);
        }
        assertTrue(b.awaitTermination(Duration.ZERO));
        assertThrows(BatcherClosedException.class, () -> b.submit(rows(1, 0)));
    }

    @Test
    void aFailedBatchLeavesTheWorkerServing() throws Exception {
        Function<FloatBatch, BatchResult> refusesNegatives = batch -> {
            if (batch.values()[0] < 0) {
                throw new InferenceException("negative input", null);
            }
            return ECHO.apply(batch);
        };
        try (Batcher b = Batcher.start("m", "1.0.0", refusesNegatives, BatchPolicy.of(8, 0), 1, System::nanoTime)) {
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> b.submit(rows(1, -5)).get(30, TimeUnit.SECONDS));
            assertInstanceOf(InferenceException.class, failed.getCause());
            assertAnswers(b.submit(rows(2, 5)).get(30, TimeUnit.SECONDS), 2, 5);
        }
    }

    @Test
    void aShorterDelayAppliesToTheBatchAlreadyWaiting() throws Exception {
        try (Batcher b = Batcher.start("m", "1.0.0", ECHO, BatchPolicy.of(1000, HOUR), 1, System::nanoTime)) {
            CompletableFuture<BatchResult> waiting = b.submit(rows(1, 3));
            Await.until(() -> b.slot(0).workerWaiting(), Duration.ofSeconds(30), "the worker to wait for company");
            b.configure(1000, 0); // else it would wait an hour: the worker must re-read the policy
            assertAnswers(waiting.get(30, TimeUnit.SECONDS), 1, 3);
            assertEquals(0, b.policy().maxLatencyNanos());
        }
    }

    @Test
    void requestsPastTheirDeadlineOrGivenUpAreTakenOutOfTheirBatchUnrun() throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        List<Integer> engineRows = new java.util.concurrent.CopyOnWriteArrayList<>();
        Function<FloatBatch, BatchResult> counting = batch -> {
            engineRows.add(batch.rows());
            return ECHO.apply(batch);
        };
        try (Batcher b = Batcher.start("m", "1.0.0", counting, BatchPolicy.of(1000, HOUR), 1, now::get)) {
            CompletableFuture<BatchResult> late = b.submit(rows(2, 1), 10);
            CompletableFuture<BatchResult> onTime = b.submit(rows(1, 5), 1_000);
            CompletableFuture<BatchResult> givenUp = b.submit(rows(3, 9));
            givenUp.cancel(false);
            Await.until(() -> b.slot(0).workerWaiting(), Duration.ofSeconds(30), "the worker to wait for company");
            now.set(20); // past the first deadline, before the second
            b.configure(1000, 0); // run what is queued now
            ExecutionException expired = assertThrows(ExecutionException.class, () -> late.get(30, TimeUnit.SECONDS));
            assertInstanceOf(ExpiredException.class, expired.getCause());
            assertAnswers(onTime.get(30, TimeUnit.SECONDS), 1, 5);
            assertEquals(List.of(1), engineRows, "only the live request's rows reached the engine");
        }
    }

    @Test
    void closeFromAWorkerThreadDoesNotWaitForItself() throws Exception {
        AtomicReference<Batcher> self = new AtomicReference<>();
        Batcher b = Batcher.start("m", "1.0.0", batch -> {
            self.get().close();
            return ECHO.apply(batch);
        }, BatchPolicy.of(8, 0), 2, System::nanoTime);
        self.set(b);
        assertAnswers(b.submit(rows(1, 7)).get(30, TimeUnit.SECONDS), 1, 7);
        assertTrue(b.awaitTermination(Duration.ofSeconds(30)));
    }
}
