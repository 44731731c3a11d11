package io.modelmesh.dataplane.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Request-body bytes the node holds at once, over every request: a body reserves its buffer as the buffer grows (never
 * from what its Content-Length announces) and gives it back when the request is done with it. A reservation past the
 * limit fails at once, so slow or huge bodies cannot make the node hold more than the limit however many connections
 * send them.
 */
final class BodyBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    /** Bytes reserved now. */
    long held() {
        return held.get();
    }

    /** Reserves {@code bytes}; false, reserving nothing, when that would pass the limit. */
    boolean tryReserve(long bytes) {
        long after = held.addAndGet(bytes);
        if (after > limit) {
            held.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }
}
