package io.modelmesh.api;

import java.util.List;

/**
 * {@code POST /deployments/canary}: start a canary of {@code version} next to the model's current stable version.
 * Unset analysis fields take {@link AnalysisPolicy#defaults()}; {@code maxPsi} (null: no drift gate) rolls the canary
 * back when its inputs drift beyond it on any feature.
 */
public record CanaryRequest(String model, String version, Integer percent, List<Integer> steps,
                            Integer stepIntervalSeconds, Double maxErrorRate, Double maxP99Ms, Integer minRequests,
                            Integer windowSeconds, Double maxPsi) {
    /** A request without a drift gate. */
    public CanaryRequest(String model, String version, Integer percent, List<Integer> steps,
                         Integer stepIntervalSeconds, Double maxErrorRate, Double maxP99Ms, Integer minRequests,
                         Integer windowSeconds) {
        this(model, version, percent, steps, stepIntervalSeconds, maxErrorRate, maxP99Ms, minRequests, windowSeconds,
                null);
    }
}
