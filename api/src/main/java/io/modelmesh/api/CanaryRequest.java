package io.modelmesh.api;

import java.util.List;

/**
 * {@code POST /deployments/canary}: start a canary of {@code version} next to the model's current stable version.
 * Unset analysis fields take {@link AnalysisPolicy#defaults()}.
 */
public record CanaryRequest(String model, String version, Integer percent, List<Integer> steps,
                            Integer stepIntervalSeconds, Double maxErrorRate, Double maxP99Ms, Integer minRequests,
                            Integer windowSeconds) {
}
