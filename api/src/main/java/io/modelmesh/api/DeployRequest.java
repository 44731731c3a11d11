package io.modelmesh.api;

import java.util.Map;

/**
 * {@code POST /deployments}: roll {@code version} of {@code model} out to 100 % of traffic. Every setting left null keeps
 * the model's current one; 0 in an admission setting goes back to the node's default.
 *
 * @param maxBatchSize    batching: most rows per engine call (1 = off)
 * @param maxLatencyMs    batching: longest wait for a batch to fill (ms)
 * @param cacheTtlSeconds prediction cache time to live (0 = off)
 * @param driftWindow     rows in each drift window ({@link DriftPolicy})
 * @param maxConcurrency  requests of one version served at once per node (0 = the node's default)
 * @param maxQueue        requests of one version waiting per node (0 = the node's default)
 * @param timeoutMs       each request's deadline (ms; 0 = the node's default)
 * @param fallback        answer when the version fails or sheds load: none, cached or default
 * @param defaultOutput   the answer of fallback default (output name to one row's value)
 */
public record DeployRequest(String model, String version, Integer maxBatchSize, Integer maxLatencyMs,
                            Integer cacheTtlSeconds, Integer driftWindow, Integer maxConcurrency, Integer maxQueue,
                            Integer timeoutMs, ServingPolicy.Fallback fallback, Map<String, Object> defaultOutput) {
    public DeployRequest(String model, String version) {
        this(model, version, null, null, null, null);
    }

    public DeployRequest(String model, String version, Integer maxBatchSize, Integer maxLatencyMs,
                         Integer cacheTtlSeconds) {
        this(model, version, maxBatchSize, maxLatencyMs, cacheTtlSeconds, null);
    }

    public DeployRequest(String model, String version, Integer maxBatchSize, Integer maxLatencyMs,
                         Integer cacheTtlSeconds, Integer driftWindow) {
        this(model, version, maxBatchSize, maxLatencyMs, cacheTtlSeconds, driftWindow, null, null, null, null, null);
    }

    /** The drift settings this request asks for, starting from the model's current ones. */
    public DriftPolicy driftOver(DriftPolicy current) {
        DriftPolicy base = current == null ? DriftPolicy.defaults() : current;
        return driftWindow != null ? new DriftPolicy(driftWindow) : base;
    }

    /**
     * The policy this request asks for, starting from the model's current one. A default output given without a
     * fallback means fallback default; a fallback other than default drops the current default output (and is refused
     * together with a new one).
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public ServingPolicy policyOver(ServingPolicy current) {
        ServingPolicy base = current == null ? ServingPolicy.defaults() : current;
        ServingPolicy.Fallback f = fallback != null ? fallback
                : defaultOutput != null ? ServingPolicy.Fallback.DEFAULT : base.fallback();
        Map<String, Object> output = defaultOutput != null ? defaultOutput
                : f == ServingPolicy.Fallback.DEFAULT ? base.defaultOutput() : null;
        return new ServingPolicy(maxBatchSize != null ? maxBatchSize : base.maxBatchSize(),
                maxLatencyMs != null ? maxLatencyMs : base.maxLatencyMs(),
                cacheTtlSeconds != null ? cacheTtlSeconds : base.cacheTtlSeconds(),
                maxConcurrency != null ? maxConcurrency : base.maxConcurrency(),
                maxQueue != null ? maxQueue : base.maxQueue(),
                timeoutMs != null ? timeoutMs : base.timeoutMs(), f, output);
    }
}
