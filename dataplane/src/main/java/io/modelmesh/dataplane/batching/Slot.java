package io.modelmesh.dataplane.batching;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One worker: a bounded {@link BatchAssembler} behind a lock, and the thread that runs its batches. The thread sleeps
 * on a condition — indefinitely while the queue is empty, for the remaining delay while a batch is forming — and is
 * signalled only when that wait should end early: the first request arrives, a batch fills, the policy changes, or the
 * slot closes. No spinning. The engine runs outside the lock, so submitters never wait behind an inference.
 */
final class Slot implements Runnable {
    private final String name;
    private final Function<FloatBatch, BatchResult> engine;
    private final LongSupplier nanoTime;
    private final LongAdder batches;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final BatchAssembler assembler;
    private boolean closing; // guarded by lock
    /** Rows queued and rows in the engine call now; written by their owners, read without the lock for P2C. */
    private volatile int queuedRows;
    private volatile int runningRows;

    Slot(String name, BatchPolicy policy, Function<FloatBatch, BatchResult> engine, LongSupplier nanoTime,
         LongAdder batches) {
        this.name = name;
        this.engine = engine;
        this.nanoTime = nanoTime;
        this.batches = batches;
        this.assembler = new BatchAssembler(policy);
    }

    /**
     * Queues rows for the next batch.
     *
     * @throws QueueFullException     when the queue is at capacity (at once; never blocks)
     * @throws BatcherClosedException when the slot is closing
     */
    Pending submit(FloatBatch rows, long deadline) {
        Pending p = new Pending(rows, nanoTime.getAsLong(), deadline);
        lock.lock();
        try {
            if (closing) {
                throw new BatcherClosedException(name + " is shut down; retry");
            }
            boolean wasEmpty = assembler.isEmpty();
            if (!assembler.offer(p)) {
                throw new QueueFullException(name + " is overloaded: " + assembler.queuedRows() + " rows queued of "
                        + assembler.policy().queueCapacityRows() + "; retry later");
            }
            queuedRows = assembler.queuedRows();
            if (wasEmpty || assembler.ready(p.enqueuedAt)) {
                wake.signal(); // otherwise the worker is busy or already waiting for this batch's deadline
            }
            return p;
        } finally {
            lock.unlock();
        }
    }

    void configure(BatchPolicy policy) {
        lock.lock();
        try {
            assembler.configure(policy);
            wake.signal(); // a shorter delay or a smaller batch may make the forming batch ready now
        } finally {
            lock.unlock();
        }
    }

    /** Stops accepting; the worker runs what is queued without further delay, then ends. */
    void close() {
        lock.lock();
        try {
            closing = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** True while the worker sleeps on this slot's condition: for tests that must act while it waits. */
    boolean workerWaiting() {
        lock.lock();
        try {
            return lock.hasWaiters(wake);
        } finally {
            lock.unlock();
        }
    }

    /** Queued plus running rows: how busy this slot is, for picking one. */
    int load() {
        return queuedRows + runningRows;
    }

    int queuedRows() {
        return queuedRows;
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            int rows = awaitBatch(batch);
            if (rows == 0) {
                return; // closed and drained
            }
            try {
                rows = dropExpired(batch, rows);
                if (rows > 0) {
                    BatchExecution.run(batch, rows, engine);
                }
            } finally {
                runningRows = 0;
                batch.clear(); // drop the references; the list's array is reused
            }
            batches.increment();
        }
    }

    /**
     * Takes out of a batch about to run the requests whose callers gave up (cancelled) or whose deadline passed while
     * they were queued; the latter fail with {@link ExpiredException}. Running them would only delay the others.
     *
     * @return the rows left
     */
    private int dropExpired(List<Pending> batch, int rows) {
        long now = nanoTime.getAsLong();
        int left = rows;
        for (int i = batch.size() - 1; i >= 0; i--) {
            Pending p = batch.get(i);
            if (!p.live(now)) {
                batch.remove(i);
                left -= p.rows.rows();
                p.completeExceptionally(new ExpiredException(name + ": the request's deadline passed while it "
                        + "waited for its batch; it was not run"));
            }
        }
        return left;
    }

    /** Waits until a batch is ready (or the slot is closing), takes it; 0 when closed with nothing left. */
    private int awaitBatch(List<Pending> batch) {
        lock.lock();
        try {
            while (true) {
                if (assembler.isEmpty()) {
                    if (closing) {
                        return 0;
                    }
                    wake.awaitUninterruptibly();
                    continue;
                }
                long remaining = closing ? 0 : assembler.remainingNanos(nanoTime.getAsLong());
                if (remaining == 0) {
                    break;
                }
                try {
                    wake.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    // Only close() stops a worker; an interrupt just re-checks the queue. Not restoring the flag is
                    // deliberate: a set flag would make every later wait return at once, a busy spin.
                }
            }
            int rows = assembler.take(batch);
            runningRows = rows;
            queuedRows = assembler.queuedRows();
            return rows;
        } finally {
            lock.unlock();
        }
    }
}
