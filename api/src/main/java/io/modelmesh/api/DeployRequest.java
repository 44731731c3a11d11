package io.modelmesh.api;

/**
 * {@code POST /deployments}: roll {@code version} of {@code model} out to 100 % of traffic.
 *
 * @param maxBatchSize    batching: most rows per engine call (1 = off); null keeps the model's current setting
 * @param maxLatencyMs    batching: longest wait for a batch to fill (ms); null keeps the current setting
 * @param cacheTtlSeconds prediction cache time to live (0 = off); null keeps the current setting
 * @param driftWindow     rows in each drift window ({@link DriftPolicy}); null keeps the current setting
 */
public record DeployRequest(String model, String version, Integer maxBatchSize, Integer maxLatencyMs,
                            Integer cacheTtlSeconds, Integer driftWindow) {
    public DeployRequest(String model, String version) {
        this(model, version, null, null, null, null);
    }

    public DeployRequest(String model, String version, Integer maxBatchSize, Integer maxLatencyMs,
                         Integer cacheTtlSeconds) {
        this(model, version, maxBatchSize, maxLatencyMs, cacheTtlSeconds, null);
    }

    /** The drift settings this request asks for, starting from the model's current ones. */
    public DriftPolicy driftOver(DriftPolicy current) {
        DriftPolicy base = current == null ? DriftPolicy.defaults() : current;
        return driftWindow != null ? new DriftPolicy(driftWindow) : base;
    }

    /** The policy this request asks for, starting from the model's current one. */
    public ServingPolicy policyOver(ServingPolicy current) {
        ServingPolicy base = current == null ? ServingPolicy.defaults() : current;
        return new ServingPolicy(maxBatchSize != null ? maxBatchSize : base.maxBatchSize(),
                maxLatencyMs != null ? maxLatencyMs : base.maxLatencyMs(),
                cacheTtlSeconds != null ? cacheTtlSeconds : base.cacheTtlSeconds());
    }
}
