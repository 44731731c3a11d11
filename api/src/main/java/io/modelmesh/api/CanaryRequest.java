package io.modelmesh.api;

import java.util.List;

/**
 * {@code POST /deployments/canary}: start a canary of {@code version} next to the model's current stable version.
 * Unset analysis fields take {@link AnalysisPolicy#defaults()}; {@code maxPsi} (null: no drift gate) rolls the canary
 * back when its inputs drift beyond it on any feature; {@code failureLimit} and {@code inconclusiveLimit} are the
 * consecutive failing and inconclusive windows the analysis allows ({@link AnalysisPolicy}). {@code version} may name
 * an alias ({@code @champion}). {@code allowSchemaChange} (true) lets the canary take another input schema than the
 * stable version (refused with 409 otherwise, the difference shown).
 */
public record CanaryRequest(String model, String version, Integer percent, List<Integer> steps,
                            Integer stepIntervalSeconds, Double maxErrorRate, Double maxP99Ms, Integer minRequests,
                            Integer windowSeconds, Double maxPsi, Integer failureLimit, Integer inconclusiveLimit,
                            Boolean allowSchemaChange) {
    /** A request that keeps the input schema. */
    public CanaryRequest(String model, String version, Integer percent, List<Integer> steps,
                         Integer stepIntervalSeconds, Double maxErrorRate, Double maxP99Ms, Integer minRequests,
                         Integer windowSeconds, Double maxPsi, Integer failureLimit, Integer inconclusiveLimit) {
        this(model, version, percent, steps, stepIntervalSeconds, maxErrorRate, maxP99Ms, minRequests, windowSeconds,
                maxPsi, failureLimit, inconclusiveLimit, null);
    }

    /** A request without a drift gate, with the default limits on consecutive windows. */
    public CanaryRequest(String model, String version, Integer percent, List<Integer> steps,
                         Integer stepIntervalSeconds, Double maxErrorRate, Double maxP99Ms, Integer minRequests,
                         Integer windowSeconds) {
        this(model, version, percent, steps, stepIntervalSeconds, maxErrorRate, maxP99Ms, minRequests, windowSeconds,
                null);
    }

    /** A request with the default limits on consecutive windows. */
    public CanaryRequest(String model, String version, Integer percent, List<Integer> steps,
                         Integer stepIntervalSeconds, Double maxErrorRate, Double maxP99Ms, Integer minRequests,
                         Integer windowSeconds, Double maxPsi) {
        this(model, version, percent, steps, stepIntervalSeconds, maxErrorRate, maxP99Ms, minRequests, windowSeconds,
                maxPsi, null, null);
    }

    /** Whether the request allows the canary another input schema than the stable version. */
    public boolean schemaChangeAllowed() {
        return Boolean.TRUE.equals(allowSchemaChange);
    }
}
