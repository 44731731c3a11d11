package io.modelmesh.dataplane.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request body read into memory, with its share of the node's {@link BodyBudget}. The handler closes it when done;
 * a shadow comparison that keeps the request past its handler {@link #retain()}s it first, so the bytes count against
 * the budget for as long as anything holds them.
 */
final class RequestBody implements AutoCloseable {
    static final RequestBody EMPTY = new RequestBody(new byte[0], null, 0);

    private final byte[] bytes;
    private final BodyBudget budget;
    private final long reserved;
    private final AtomicInteger holders = new AtomicInteger(1);

    RequestBody(byte[] bytes, BodyBudget budget, long reserved) {
        this.bytes = bytes;
        this.budget = budget;
        this.reserved = reserved;
    }

    byte[] bytes() {
        return bytes;
    }

    /** One more holder; returns what that holder runs when done. */
    Runnable retain() {
        holders.incrementAndGet();
        return this::close;
    }

    @Override
    public void close() {
        if (holders.decrementAndGet() == 0 && budget != null) {
            budget.release(reserved);
        }
    }
}
