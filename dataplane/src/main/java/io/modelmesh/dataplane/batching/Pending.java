package io.modelmesh.dataplane.batching;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;

import java.util.concurrent.CompletableFuture;

/**
 * One queued request: its rows, when it was queued, its deadline, and the future its caller waits on. Being the future
 * itself saves an allocation per request on the hot path.
 */
final class Pending extends CompletableFuture<BatchResult> {
    /** The deadline of a request submitted without one. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    final FloatBatch rows;
    final long enqueuedAt;
    /** On the batcher's clock; a request still queued when it passes is not run. */
    final long deadline;

    Pending(FloatBatch rows, long enqueuedAt) {
        this(rows, enqueuedAt, NO_DEADLINE);
    }

    Pending(FloatBatch rows, long enqueuedAt, long deadline) {
        this.rows = rows;
        this.enqueuedAt = enqueuedAt;
        this.deadline = deadline;
    }

    /** Whether it should still run at {@code now}: not given up by its caller, deadline not passed. */
    boolean live(long now) {
        return !isDone() && (deadline == NO_DEADLINE || now - deadline < 0);
    }
}
