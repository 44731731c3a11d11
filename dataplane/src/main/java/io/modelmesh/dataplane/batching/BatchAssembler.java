package io.modelmesh.dataplane.batching;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * The batching decisions of one worker slot, with no threads and no clock of its own: a FIFO of pending requests and
 * the batch its head would form. Callers pass the time in, so tests drive it with a hand-advanced clock. Not
 * thread-safe: a {@link Slot} calls it under its lock.
 *
 * <p>The head's batch is the longest run of queued requests, from the head, with the head's row width and at most
 * {@code maxBatchSize} rows in all (the head itself may exceed it: it then runs alone, unsplit). The batch is
 * <em>sealed</em> when nothing queued later can join it — it is full, or the next request does not fit or has another
 * width — and a sealed batch runs at once: waiting could not make it bigger without reordering the queue. Otherwise it
 * runs when its head has waited {@code maxLatencyNanos}. The run is kept up to date as requests arrive, so checking
 * readiness is O(1); after a take it is recomputed once, bounded by the batch size.
 */
final class BatchAssembler {
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private BatchPolicy policy;
    private int queuedRows;
    /** Requests and rows in the head's batch. */
    private int headCount;
    private int headRows;
    /** True when no request queued later can join the head's batch. */
    private boolean sealed;

    BatchAssembler(BatchPolicy policy) {
        this.policy = policy;
    }

    BatchPolicy policy() {
        return policy;
    }

    /** Applies a new policy to what is queued (a changed batch size re-forms the head's batch). */
    void configure(BatchPolicy next) {
        boolean resize = next.maxBatchSize() != policy.maxBatchSize();
        policy = next;
        if (resize) {
            formHeadBatch();
        }
    }

    /**
     * Queues a request unless the queue is full. An empty queue takes any request, so one larger than the capacity
     * still runs (alone) instead of being refused forever.
     *
     * @return false when refused
     */
    boolean offer(Pending p) {
        int rows = p.rows.rows();
        if (!queue.isEmpty() && queuedRows + rows > policy.queueCapacityRows()) {
            return false;
        }
        queue.addLast(p);
        queuedRows += rows;
        if (queue.size() == 1) {
            headCount = 1;
            headRows = rows;
            sealed = rows >= policy.maxBatchSize();
        } else if (!sealed) {
            join(p); // an unsealed head batch is the whole queue, so p is next in line
        }
        return true;
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int queuedRows() {
        return queuedRows;
    }

    /** True when the head's batch should run now: it cannot grow, or its head has waited the maximum latency. */
    boolean ready(long now) {
        return !queue.isEmpty() && (sealed || remainingNanos(now) == 0);
    }

    /**
     * How long the head's batch may still wait for company: the remaining delay, counted from when its first request
     * was queued — not a fresh full delay per wake-up, so no request waits longer than {@code maxLatencyNanos} for its
     * batch to start. 0 when the batch is ready (or the queue is empty).
     */
    long remainingNanos(long now) {
        if (queue.isEmpty() || sealed) {
            return 0;
        }
        long waited = now - queue.peekFirst().enqueuedAt;
        return Math.max(0, policy.maxLatencyNanos() - waited);
    }

    /**
     * Moves the head's batch, in queue order, into {@code into} (cleared first), whether or not it is ready (a closing
     * slot flushes without waiting).
     *
     * @return the batch's row count, 0 when the queue is empty
     */
    int take(List<Pending> into) {
        into.clear();
        int rows = headRows;
        for (int i = 0; i < headCount; i++) {
            into.add(queue.pollFirst());
        }
        queuedRows -= rows;
        formHeadBatch();
        return rows;
    }

    private void formHeadBatch() {
        headCount = 0;
        headRows = 0;
        sealed = false;
        Iterator<Pending> it = queue.iterator();
        if (!it.hasNext()) {
            return;
        }
        Pending head = it.next();
        headCount = 1;
        headRows = head.rows.rows();
        sealed = headRows >= policy.maxBatchSize();
        while (!sealed && it.hasNext()) {
            join(it.next());
        }
    }

    /** Adds the next request in line to the head's batch if it fits, else seals the batch. */
    private void join(Pending p) {
        int rows = p.rows.rows();
        int max = policy.maxBatchSize();
        if (p.rows.cols() != queue.peekFirst().rows.cols() || headRows + rows > max) {
            sealed = true;
            return;
        }
        headCount++;
        headRows += rows;
        sealed = headRows == max;
    }
}
