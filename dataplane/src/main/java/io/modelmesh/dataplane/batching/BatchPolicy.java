package io.modelmesh.dataplane.batching;

import io.modelmesh.api.ServingPolicy;

import java.util.concurrent.TimeUnit;

/**
 * How a {@link Batcher} forms batches, parsed once from the route's {@link ServingPolicy}.
 *
 * @param maxBatchSize      most rows one engine call takes; a single request with more rows runs alone, unsplit
 * @param maxLatencyNanos   longest the first request of a batch waits for others to join it; 0 runs what is queued
 * @param queueCapacityRows rows each worker slot may hold queued before a submit is refused (never less than a batch)
 */
public record BatchPolicy(int maxBatchSize, long maxLatencyNanos, int queueCapacityRows) {
    /** Smallest default queue per slot, so a small batch size still absorbs a short burst. */
    static final int MIN_DEFAULT_CAPACITY = 256;

    public BatchPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
        }
        if (maxLatencyNanos < 0) {
            throw new IllegalArgumentException("maxLatencyNanos must be >= 0, got " + maxLatencyNanos);
        }
        if (queueCapacityRows < maxBatchSize) {
            throw new IllegalArgumentException("queueCapacityRows (" + queueCapacityRows
                    + ") must hold at least one full batch (" + maxBatchSize + ")");
        }
    }

    /** A policy with the default queue: four batches per slot, at least {@value #MIN_DEFAULT_CAPACITY} rows. */
    public static BatchPolicy of(int maxBatchSize, long maxLatencyNanos) {
        return new BatchPolicy(maxBatchSize, maxLatencyNanos,
                Math.max((int) Math.min(4L * maxBatchSize, Integer.MAX_VALUE), MIN_DEFAULT_CAPACITY));
    }

    /** The batching half of a route's serving policy, with the default queue. */
    public static BatchPolicy of(ServingPolicy policy) {
        return of(policy.maxBatchSize(), TimeUnit.MILLISECONDS.toNanos(policy.maxLatencyMs()));
    }
}
