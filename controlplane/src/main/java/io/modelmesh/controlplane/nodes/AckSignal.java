package io.modelmesh.controlplane.nodes;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes requests waiting for node acknowledgements when an acknowledgement reaches this control plane. Only a hint:
 * acknowledgements that reach another control plane are found by the waiters' own polling of PostgreSQL.
 */
public final class AckSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private long generation;

    /** An acknowledgement was recorded. */
    public void signal() {
        lock.lock();
        try {
            generation++;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The current generation, to wait for a later one. */
    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an acknowledgement after {@code seen} was signalled, or {@code nanos} passed. */
    void await(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (generation == seen && left > 0) {
                left = arrived.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }
}
