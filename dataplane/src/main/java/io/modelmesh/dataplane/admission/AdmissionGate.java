package io.modelmesh.dataplane.admission;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
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
 *
 * <p>A wait expected to be shorter than {@link #SPIN_NANOS} spins instead of parking, while nobody is parked (so it
 * never passes a parked request): for a model whose turn lasts microseconds, parking costs more than the wait. A
 * timed park of a virtual thread deep in the HTTP stack copies its frames off the carrier and back, arms and cancels a
 * timer on the JDK's delay scheduler and wakes a carrier, about 50 µs of CPU per wait on the 2-core benchmark machine
 * against a 5 µs engine call (docs/benchmark_results.md section 17). A slow model's waits are longer than the spin
 * limit and park as before.
 *
 * <p>For the same reason a version whose limit was derived (not set) takes up to
 * {@link AdmissionLimits#shortTurnConcurrency} requests at once while at least 90 % of its recent turns lasted at
 * most {@link #SHORT_TURN_NANOS}, and goes back to {@link AdmissionLimits#maxConcurrency} when fewer than 75 % did
 * (the gap keeps a version near the line from switching on every turn; a share rather than the average turn, so
 * that the odd turn stretched by the OS descheduling its thread does not switch it). That limit protects the cores
 * and the carriers from long engine calls; a call of a few microseconds is over before either matters.
 */
public final class AdmissionGate {
    /** Turns seen before the measured pace is trusted to refuse a request early. */
    static final int MIN_SAMPLES = 16;
    /** Weight of a new sample in the moving average of turn length (1/8). */
    private static final int EWMA_SHIFT = 3;
    /** Longest expected wait that spins rather than parks (ns); a spin lasts at most twice this. */
    static final long SPIN_NANOS = 25_000;
    /** Spin iterations at most, whatever the clock says (a test's clock may stand still). */
    private static final int MAX_SPINS = 20_000;
    /**
     * A turn at most this long is short (ns): about twice what parking a request for it and resuming it costs. Turns of
     * the 4-feature MLP of section 2 took 10-50 µs on the 2-core benchmark machine under load (98 % under 100 µs),
     * those of the 3×1024 MLP of section 11 about 400 µs.
     */
    static final long SHORT_TURN_NANOS = 100_000;
    /** Share of short turns (of {@link #SHARE_ONE}) at or above which the short-turn concurrency is taken. */
    private static final int SHORT_ENTER = 922;
    /** Share of short turns below which it is left again. */
    private static final int SHORT_LEAVE = 768;
    private static final int SHARE_ONE = 1024;
    /** Weight of a new turn in the moving share of short turns (1/16). */
    private static final int SHARE_SHIFT = 4;

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
    /** Requests parked on {@link #turns} now (the others among {@link #waiting} spin or are being refused). */
    private final AtomicInteger parked = new AtomicInteger();
    private final LongSupplier nanoTime;
    private final long spinNanos;
    private final int maxSpins;
    private volatile AdmissionLimits limits;
    /** Whether the short-turn concurrency is in force; changed only while holding this gate's lock. */
    private volatile boolean shortTurns;
    /** Moving share of recent turns that were short, of {@link #SHARE_ONE} (racy like the average). */
    private volatile int shortShare;
    /** Moving average of how long a turn is held (ns); racy read-modify-write is fine for an estimate. */
    private volatile long meanTurnNanos;
    private volatile int samples;
    /** Turns taken by spinning (a wait that did not park). */
    private final LongAdder spun = new LongAdder();

    /** @param nanoTime the clock deadlines are measured on ({@code System::nanoTime}) */
    public AdmissionGate(AdmissionLimits limits, LongSupplier nanoTime) {
        this(limits, nanoTime, SPIN_NANOS, MAX_SPINS);
    }

    /** With another spin limit and iteration cap (tests that need a spin long enough to watch). */
    AdmissionGate(AdmissionLimits limits, LongSupplier nanoTime, long spinNanos, int maxSpins) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.turns = new Turns(limits.maxConcurrency());
        this.spinNanos = spinNanos;
        this.maxSpins = maxSpins;
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
            if (spin(position, l, deadlineNanos)) {
                return Verdict.ADMITTED;
            }
            remaining = deadlineNanos - nanoTime.getAsLong();
            if (remaining <= 0) {
                return Verdict.DEADLINE_PASSED;
            }
            parked.incrementAndGet();
            try {
                return turns.tryAcquire(remaining, TimeUnit.NANOSECONDS) ? Verdict.ADMITTED : Verdict.DEADLINE_PASSED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Verdict.INTERRUPTED;
            } finally {
                parked.decrementAndGet();
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Spins for a turn when the wait should be short ({@link #SPIN_NANOS}) and nobody is parked (a parked request was
     * first; taking a turn before it would break arrival order): at most twice the expected wait, the deadline and
     * the iteration cap.
     *
     * @return whether a turn was taken
     */
    private boolean spin(int position, AdmissionLimits l, long deadlineNanos) {
        if (samples < MIN_SAMPLES || parked.get() > 0) {
            return false;
        }
        long expected = Math.max(1, expectedWaitNanos(position, l));
        if (expected > spinNanos) {
            return false;
        }
        long until = Math.min(deadlineNanos, nanoTime.getAsLong() + 2 * expected);
        for (int i = 0; i < maxSpins; i++) {
            if (parked.get() == 0 && turns.tryAcquire()) {
                spun.increment();
                return true;
            }
            Thread.onSpinWait();
            if ((i & 15) == 15 && nanoTime.getAsLong() - until > 0) {
                return false;
            }
        }
        return false;
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
        int share = shortShare;
        shortShare = share = share + (((heldNanos <= SHORT_TURN_NANOS ? SHARE_ONE : 0) - share) >> SHARE_SHIFT);
        if (samples < MIN_SAMPLES) {
            samples++;
        } else if (shortTurns ? share < SHORT_LEAVE : share >= SHORT_ENTER
                && limits.shortTurnConcurrency() > limits.maxConcurrency()) {
            switchTurns();
        }
    }

    /** Moves between the two concurrencies when the share of short turns says so (checked again under the lock). */
    private synchronized void switchTurns() {
        int share = shortShare;
        boolean next = shortTurns ? share >= SHORT_LEAVE : share >= SHORT_ENTER;
        if (next != shortTurns) {
            int before = limits.concurrency(shortTurns);
            shortTurns = next;
            adjust(limits.concurrency(next) - before);
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
        return (long) ((double) position * meanTurnNanos / l.concurrency(shortTurns));
    }

    /** Applies new limits; a lower concurrency takes effect as running requests finish. */
    public synchronized void configure(AdmissionLimits next) {
        int before = limits.concurrency(shortTurns);
        limits = next;
        adjust(next.concurrency(shortTurns) - before);
    }

    private void adjust(int delta) {
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
    public synchronized int running() {
        return limits.concurrency(shortTurns) - turns.availablePermits();
    }

    /** Requests that may be past the gate at once now: the short-turn concurrency while turns are short. */
    public int concurrency() {
        return limits.concurrency(shortTurns);
    }

    /** Requests waiting for a turn now (including ones about to be refused). */
    public int waiting() {
        return waiting.get();
    }

    /** Turns taken by a short spin rather than a park, since the gate was made. */
    long spunTurns() {
        return spun.sum();
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
