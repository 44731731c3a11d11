package io.modelmesh.api;

import java.util.List;

/**
 * A node's comparison of one shadow version with the version that answered, over one report window.
 *
 * @param model            model name
 * @param shadowVersion    the shadow
 * @param primaryVersion   the version whose answers it was compared with (the routed one; with several routed
 *                         versions, the STABLE one; mirrored requests answered by others are compared too)
 * @param mirrored         requests queued for the shadow
 * @param dropped          requests not mirrored because the shadow queue was full
 * @param failed           shadow calls that failed
 * @param compared         shadow answers compared with the user's answer
 * @param labelComparisons compared answers that had a label output
 * @param labelAgreements  of those, the ones whose labels were all equal
 * @param numericValues    numeric output values compared
 * @param sumAbsDiff       sum of their absolute differences
 * @param maxAbsDiff       the largest absolute difference (0 when none)
 * @param sumLatencyDeltaMs sum over compared answers of (shadow ms − primary ms)
 * @param samples          a few compared answers, disagreements first
 */
public record ShadowOutcome(String model, String shadowVersion, String primaryVersion, long mirrored, long dropped,
                            long failed, long compared, long labelComparisons, long labelAgreements,
                            long numericValues, double sumAbsDiff, double maxAbsDiff, double sumLatencyDeltaMs,
                            List<ShadowSample> samples) {
    public ShadowOutcome {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
