package io.modelmesh.dataplane.admission;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Admission control for one served version: at most {@code maxConcurrency} requests past the gate at once, at most
 * {@code maxQueue} waiting for a turn, first come first served, none waiting past its deadline. No HTTP here: callers
 * get a {@link Verdict} and decide what to answer.
 *
 * <p>A request is refused at once when the queue is full, or when the requests already waiting would, at the
 * version's measured pace, keep it waiting past its deadline ({@link Verdict#WAIT_EXCEEDS_DEADLINE}): telling a client
 * now beats telling it at its deadline, and what it waited would have been wasted. The pace is a moving average of how
 * long admitted requests hold their turn; until {@link #MIN_SAMPLES} have been seen only the queue bound applies.
 *
 * <p>Waiting parks the caller (a virtual thread unmounts) on a fair semaphore, so turns go in arrival order: without
 * that, under overload some requests win every race and others lose every one, which is what a p99 far above the p50
 * showed before this gate existed. A request that arrives while nobody waits takes a free turn without queueing (one
 * compare-and-set). Limits change in place ({@link #configure}) when a new routing revision changes the policy.
 */
public final class AdmissionGate {
    /** Turns seen before the measured pace is trusted to refuse a request early. */
    static final int MIN_SAMPLES = 16;
    /** Weight of a new sample in the moving average of turn length (1/8). */
    private static final int EWMA_SHIFT = 3;

    /** What the gate decided. */
    public enum Verdict {
        /** The request has a turn; the caller must {@link #exit} when done. */
        ADMITTED("admitted"),
        /** The queue is full. */
        QUEUE_FULL("queue_full"),
        /** The requests ahead would keep this one waiting past its deadline. */
        WAIT_EXCEEDS_DEADLINE("wait_exceeds_deadline"),
        /** The deadline passed while the request waited (or before it arrived at the gate). */
        DEADLINE_PASSED("deadline_passed"),
        /** The waiting thread was interrupted (the server is stopping). */
        INTERRUPTED("interrupted");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** The {@code reason} label of the rejection counter. */
        public String label() {
            return label;
        }
    }

    private final Turns turns;
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongSupplier nanoTime;
    private volatile AdmissionLimits limits;
    /** Moving average of how long a turn is held (ns); racy read-modify-write is fine for an estimate. */
    private volatile long meanTurnNanos;
    private volatile int samples;

    /** @param nanoTime the clock deadlines are measured on ({@code System::nanoTime}) */
    public AdmissionGate(AdmissionLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.turns = new Turns(limits.maxConcurrency());
    }

    /**
     * Waits for a turn until {@code deadlineNanos} at most (on the gate's clock).
     *
     * @return {@link Verdict#ADMITTED} (then call {@link #exit}) or why not
     */
    public Verdict enter(long deadlineNanos) {
        if (waiting.get() == 0 && turns.tryAcquire()) {
            return Verdict.ADMITTED;
        }
        AdmissionLimits l = limits;
        int position = waiting.incrementAndGet();
        try {
            if (position > l.maxQueue()) {
                return Verdict.QUEUE_FULL;
            }
            long remaining = deadlineNanos - nanoTime.getAsLong();
            if (remaining <= 0) {
                return Verdict.DEADLINE_PASSED;
            }
            if (expectedWaitNanos(position, l) > remaining) {
                return Verdict.WAIT_EXCEEDS_DEADLINE;
            }
            try {
                return turns.tryAcquire(remaining, TimeUnit.NANOSECONDS) ? Verdict.ADMITTED : Verdict.DEADLINE_PASSED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Verdict.INTERRUPTED;
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Ends a turn {@link #enter} granted.
     *
     * @param heldNanos how long the turn was held (feeds the pace estimate)
     */
    public void exit(long heldNanos) {
        turns.release();
        long mean = meanTurnNanos;
        meanTurnNanos = mean == 0 ? heldNanos : mean + ((heldNanos - mean) >> EWMA_SHIFT);
        if (samples < MIN_SAMPLES) {
            samples++;
        }
    }

    /**
     * How long the request at {@code position} in the queue should expect to wait: the turns ahead of it divided among
     * the concurrent turns, at the average turn length. 0 until the average is based on enough turns.
     */
    long expectedWaitNanos(int position, AdmissionLimits l) {
        if (samples < MIN_SAMPLES) {
            return 0;
        }
        return (long) ((double) position * meanTurnNanos / l.maxConcurrency());
    }

    /** Applies new limits; a lower concurrency takes effect as running requests finish. */
    public synchronized void configure(AdmissionLimits next) {
        int delta = next.maxConcurrency() - limits.maxConcurrency();
        limits = next;
        if (delta > 0) {
            turns.release(delta);
        } else if (delta < 0) {
            turns.reduce(-delta);
        }
    }

    public AdmissionLimits limits() {
        return limits;
    }

    /** Requests past the gate now. */
    public int running() {
        return limits.maxConcurrency() - turns.availablePermits();
    }

    /** Requests waiting for a turn now (including ones about to be refused). */
    public int waiting() {
        return waiting.get();
    }

    /** The average turn length the gate currently works with (ns), 0 before any. */
    public long meanTurnNanos() {
        return meanTurnNanos;
    }

    /** A fair semaphore whose permits can also be taken away (a lower limit). */
    private static final class Turns extends Semaphore {
        Turns(int permits) {
            super(permits, true);
        }

        void reduce(int n) {
            reducePermits(n);
        }
    }
}
