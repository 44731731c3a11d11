package io.modelmesh.dataplane.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A node's graceful stop: counts the requests in flight; once {@link #start() started}, takes no new ones (the node
 * answers them 503 and its readiness turns false) and lets {@link #await} wait until the ones it took have finished.
 * Entering and leaving cost one atomic add each; only the last request out after the start takes a lock.
 */
public final class Drain {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;

    /**
     * Counts a request in, unless the node is draining.
     *
     * @return false when draining: the request must be refused, and not {@link #exit exited}
     */
    public boolean tryEnter() {
        inFlight.incrementAndGet();
        if (draining) {
            exit();
            return false;
        }
        return true;
    }

    /** Counts a request {@link #tryEnter} let in out again. */
    public void exit() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            lock.lock();
            try {
                idle.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** From now on no request is let in. Idempotent. */
    public void start() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Waits until no request is in flight, at most {@code timeout}.
     *
     * @return true when the node is idle, false when the timeout passed first
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight.get() > 0) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
