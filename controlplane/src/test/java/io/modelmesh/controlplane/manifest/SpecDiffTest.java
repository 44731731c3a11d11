package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecDiffTest {
    static RouteTarget t(String v, int w, RouteTarget.Role role) {
        return new RouteTarget(v, "onnx", "ab".repeat(32), 10, w, role, null);
    }

    static final DeploymentSpec FULL = DeploymentSpec.full("1.0.0", null);
    static final ModelRoute FULL_ROUTE = new ModelRoute("iris", List.of(t("1.0.0", 100, RouteTarget.Role.STABLE)),
            null, ServingPolicy.defaults());

    @Test
    void fullToCanaryListsEveryChangedFieldAndTheSplit() {
        DeploymentSpec canary = new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0",
                new CanarySpec("1.1.0", 5, null, 30, null), null, null, new ServingPolicy(32, 2, 0));
        ModelRoute route = new ModelRoute("iris", List.of(t("1.0.0", 95, RouteTarget.Role.STABLE),
                t("1.1.0", 5, RouteTarget.Role.CANARY)), null, new ServingPolicy(32, 2, 0));

        assertEquals(List.of("spec.strategy: full -> canary", "spec.canary.version: (none) -> 1.1.0",
                "spec.canary.percent: (none) -> 5", "spec.canary.stepInterval: (none) -> 30s",
                "spec.serving.maxBatchSize: 1 -> 32", "spec.serving.maxLatencyMs: 0 -> 2",
                "traffic: 1.0.0 100% -> 1.0.0 95%, 1.1.0 5% (canary)"),
                SpecDiff.lines(FULL, FULL_ROUTE, canary, route));
    }

    @Test
    void aFirstDeploymentStartsFromNothingAndEqualSpecsDiffToNothing() {
        assertEquals(List.of("spec.strategy: (none) -> full", "spec.stable: (none) -> 1.0.0",
                "spec.serving.maxBatchSize: (none) -> 1", "spec.serving.maxLatencyMs: (none) -> 0",
                "spec.serving.cacheTtlSeconds: (none) -> 0", "spec.drift.window: (none) -> 1000",
                "traffic: (none) -> 1.0.0 100%"),
                SpecDiff.lines(null, null, FULL, FULL_ROUTE));
        assertEquals(List.of(), SpecDiff.lines(FULL, FULL_ROUTE, FULL, FULL_ROUTE));
    }

    @Test
    void theDriftWindowAndTheDriftGateAreDiffedAndNamedInHistory() {
        DeploymentSpec wider = DeploymentSpec.full("1.0.0", ServingPolicy.defaults(), new DriftPolicy(5000));
        assertEquals(List.of("spec.drift.window: 1000 -> 5000"), SpecDiff.lines(FULL, FULL_ROUTE, wider, FULL_ROUTE));
        assertEquals("apply d.yaml: 1.0.0 at 100% (drift window 5000 rows)", ChangeTexts.of("d.yaml", wider));
        DeploymentSpec gated = new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0", new CanarySpec("1.1.0", 10,
                null, null, new AnalysisPolicy(null, null, null, null, 0.25)), null, null, null);
        assertTrue(SpecDiff.lines(FULL, FULL_ROUTE, gated, FULL_ROUTE).contains(
                "spec.canary.analysis.maxPsi: (none) -> 0.25"));
    }

    @Test
    void changeTextsSayWhatWasApplied() {
        assertEquals("apply iris.yaml: 1.0.0 at 100%", ChangeTexts.of("iris.yaml", FULL));
        assertEquals("apply c.yaml: canary 1.1.0 at 5% beside 1.0.0 (steps 5, 50, 100 every 1m)",
                ChangeTexts.of("c.yaml", new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0",
                        new CanarySpec("1.1.0", null, List.of(5, 50, 100), null, null), null, null, null)));
        assertEquals("apply s.yaml: 1.1.0 at 100% (batch 32 rows / 2 ms, cache 60 s)",
                ChangeTexts.of("s.yaml", DeploymentSpec.full("1.1.0", new ServingPolicy(32, 2, 60))));
    }
}
