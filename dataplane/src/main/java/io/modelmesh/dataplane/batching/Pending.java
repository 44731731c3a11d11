package io.modelmesh.dataplane.batching;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;

import java.util.concurrent.CompletableFuture;

/**
 * One queued request: its rows, when it was queued, and the future its caller waits on. Being the future itself saves
 * an allocation per request on the hot path.
 */
final class Pending extends CompletableFuture<BatchResult> {
    final FloatBatch rows;
    final long enqueuedAt;

    Pending(FloatBatch rows, long enqueuedAt) {
        this.rows = rows;
        this.enqueuedAt = enqueuedAt;
    }
}
