package io.modelmesh.dataplane.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Stops calling a backend that keeps failing, and tries it again now and then.
 * <ul>
 *   <li>CLOSED: every call goes through; {@code failureThreshold} failures in a row (no success between) open it.</li>
 *   <li>OPEN: no call goes through until {@code openDelay} has passed; then the next call is let through as a trial.</li>
 *   <li>HALF_OPEN: that one trial is out, everyone else is still turned away. Its success closes the breaker, its
 *       failure opens it for another {@code openDelay}. A trial that never reports back (it cannot happen with the
 *       try/finally callers here, but a wedged breaker would be the worst outcome) is replaced after {@code openDelay}.
 *   </li>
 * </ul>
 *
 * <p>Written here rather than taken from Helidon's fault-tolerance module: Helidon's breaker moves from open to
 * half-open on a timer of its own executor, so tests would have to wait real time, and its {@code invoke(Supplier)}
 * wraps every call. This one reads time from an injected clock (tests turn it by hand), costs one volatile read per
 * call while closed and takes a lock only when changing state or when not closed.
 *
 * <p>Consecutive failures rather than a failure ratio: a ratio needs a sliding window, i.e. shared mutable state
 * written by every call. Against a dead Redis every call fails, so a short run of failures is the fast and unambiguous
 * signal; against a flaky one each failure costs at most one short timeout anyway.
 */
public final class CircuitBreaker {
    /** Where the breaker is; see the class comment. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile State state = State.CLOSED;
    private long openedAt;       // guarded by this
    private long trialStartedAt; // guarded by this

    /**
     * @param failureThreshold failures in a row that open the breaker (at least 1)
     * @param openDelay        how long it stays open before a trial call
     * @param nanoClock        monotonic nanoseconds ({@code System::nanoTime} outside tests)
     */
    public CircuitBreaker(int failureThreshold, Duration openDelay, LongSupplier nanoClock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold must be at least 1, got " + failureThreshold);
        }
        if (openDelay.isNegative()) {
            throw new IllegalArgumentException("open delay must not be negative, got " + openDelay);
        }
        this.failureThreshold = failureThreshold;
        this.openNanos = openDelay.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Whether a call may go to the backend now. When it returns true the caller must report the outcome with
     * {@link #onSuccess()} or {@link #onFailure()}.
     */
    public boolean tryAcquire() {
        if (state == State.CLOSED) {
            return true;
        }
        synchronized (this) {
            long now = nanoClock.getAsLong();
            switch (state) {
                case CLOSED -> {
                    return true;
                }
                case OPEN -> {
                    if (now - openedAt < openNanos) {
                        return false;
                    }
                    state = State.HALF_OPEN;
                    trialStartedAt = now;
                    return true;
                }
                default -> {
                    if (now - trialStartedAt < openNanos) {
                        return false;
                    }
                    trialStartedAt = now; // the last trial never reported back: let another one through
                    return true;
                }
            }
        }
    }

    /** @return true if this success closed the breaker (a successful trial) */
    public boolean onSuccess() {
        State s = state;
        if (s == State.CLOSED) {
            if (consecutiveFailures.get() != 0) { // read first: no write (and no cache-line traffic) on the usual path
                consecutiveFailures.set(0);
            }
            return false;
        }
        synchronized (this) {
            if (state != State.HALF_OPEN) {
                return false; // a call let through before the breaker opened: not the trial, proves little
            }
            consecutiveFailures.set(0);
            state = State.CLOSED;
            return true;
        }
    }

    /** @return true if this failure opened the breaker (the threshold reached, or a failed trial) */
    public boolean onFailure() {
        State s = state;
        if (s == State.CLOSED && consecutiveFailures.incrementAndGet() < failureThreshold) {
            return false;
        }
        if (s == State.OPEN) {
            return false; // a straggler from before the breaker opened
        }
        synchronized (this) {
            if (state == State.OPEN) {
                return false;
            }
            state = State.OPEN;
            openedAt = nanoClock.getAsLong();
            return true;
        }
    }

    public State state() {
        return state;
    }
}
