package io.modelmesh.api;

import java.time.Instant;

/**
 * One sampled comparison between the answer a user got and the shadow version's answer to the same request.
 *
 * @param at             when the request arrived
 * @param requestId      the request's id
 * @param input          the request body, cut to 2 KiB
 * @param primaryOutput  the returned answer's outputs as JSON
 * @param shadowOutput   the shadow's outputs as JSON, or null when it failed
 * @param shadowError    why the shadow failed, or null
 * @param labelsAgree    whether every label output was equal (null when the model has no label output)
 * @param maxAbsDiff     largest absolute difference over the numeric outputs (NaN when there are none)
 * @param primaryMs      time the answering version took (ms)
 * @param shadowMs       time the shadow took (ms)
 */
public record ShadowSample(Instant at, String requestId, String input, String primaryOutput, String shadowOutput,
                           String shadowError, Boolean labelsAgree, double maxAbsDiff, double primaryMs,
                           double shadowMs) {
}
