package io.modelmesh.api;

import java.util.Map;

/**
 * A data-plane answer to {@code POST /predict/{model}} or {@code /batch}.
 *
 * @param model        model name
 * @param modelVersion version that produced the outputs
 * @param requestId    request id (the caller's {@code X-Request-ID} when given)
 * @param cached       whether the answer came from the prediction cache
 * @param outputs      output name to value: for {@code /predict} the row's values, for {@code /batch} one entry per row
 * @param degraded     whether the answer is the version's fallback (the last answer for this input, or the configured
 *                     default) because the version failed or shed the request; absent (false) otherwise
 */
public record Prediction(String model, String modelVersion, String requestId, boolean cached,
                         Map<String, Object> outputs, boolean degraded) {
    public Prediction(String model, String modelVersion, String requestId, boolean cached,
                      Map<String, Object> outputs) {
        this(model, modelVersion, requestId, cached, outputs, false);
    }
}
