package io.modelmesh.controlplane.store;

import java.time.Instant;

/**
 * One row of {@code shadow_comparisons}: a shadow version compared with a primary version, counters summed over every
 * node's reports since {@code startedAt}.
 *
 * @param active whether the shadow is still in the model's route (false once stopped or replaced)
 */
public record ShadowComparison(long id, String model, String shadowVersion, String primaryVersion, Instant startedAt,
                               Instant updatedAt, boolean active, long mirrored, long dropped, long failed,
                               long compared, long labelComparisons, long labelAgreements, long numericValues,
                               double sumAbsDiff, double maxAbsDiff, double sumLatencyDeltaMs) {
}
