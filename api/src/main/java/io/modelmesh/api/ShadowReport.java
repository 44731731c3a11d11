package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /monitoring/shadow/{model}}: how a shadow version's answers compare with the ones users got, summed over
 * every node since the shadow started, with the latest sampled diffs (stored in PostgreSQL).
 *
 * @param model              model name
 * @param shadowVersion      the shadow
 * @param primaryVersion     the version it is compared with
 * @param active             whether the shadow is still in the route
 * @param since              when the comparison started
 * @param mirrored           requests queued for the shadow
 * @param dropped            requests not mirrored (queue full)
 * @param failed             shadow calls that failed
 * @param compared           answers compared
 * @param labelAgreementRate share of compared answers with equal labels (null when the model has no label output)
 * @param meanAbsDiff        mean absolute difference over numeric output values (null when none)
 * @param maxAbsDiff         largest absolute difference (null when none)
 * @param meanLatencyDeltaMs mean of (shadow ms − primary ms) (null when nothing compared)
 * @param samples            latest sampled comparisons, newest first
 */
public record ShadowReport(String model, String shadowVersion, String primaryVersion, boolean active, Instant since,
                           long mirrored, long dropped, long failed, long compared, Double labelAgreementRate,
                           Double meanAbsDiff, Double maxAbsDiff, Double meanLatencyDeltaMs,
                           List<ShadowSample> samples) {
    public ShadowReport {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
