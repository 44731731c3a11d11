package io.modelmesh.controlplane.traffic;

import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.controlplane.store.DeploymentRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrentStateTest {
    @Test
    void aRunningCanaryBlocksAndNamesTheWayOut() {
        DeploymentRecord canary = record(List.of(t("1.0.0", 75, Role.STABLE), t("1.1.0", 25, Role.CANARY)),
                new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0",
                        new CanarySpec("1.1.0", 25, List.of(), null, null), null, null, null));
        ConflictException e = assertThrows(ConflictException.class,
                () -> CurrentState.stableVersion(canary, "start a shadow"));
        assertTrue(e.getMessage().contains("canary of 1.1.0 running at 25%; to start a shadow, first promote it"),
                e.getMessage());
    }

    @Test
    void aRolledBackCanaryLeavesTheRoutesStableVersion() {
        DeploymentRecord rolledBack = record(List.of(t("1.0.0", 100, Role.STABLE), t("1.1.0", 0, Role.CANARY)),
                new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0",
                        new CanarySpec("1.1.0", 25, List.of(), null, null), null, null, null));
        assertEquals("1.0.0", CurrentState.stableVersion(rolledBack, "start a shadow"));
        DeploymentRecord legacy = record(List.of(t("2.0.0", 100, Role.STABLE)), null);
        assertEquals("2.0.0", CurrentState.stableVersion(legacy, "start a shadow"), "rows without a spec");
    }

    @Test
    void anAbSplitBlocks() {
        DeploymentRecord ab = record(List.of(t("1.0.0", 50, Role.ARM), t("1.1.0", 50, Role.ARM)), null);
        ConflictException e = assertThrows(ConflictException.class, () -> CurrentState.stableVersion(ab, "x"));
        assertTrue(e.getMessage().contains("A/B split (arms [1.0.0, 1.1.0])"), e.getMessage());
    }

    private static RouteTarget t(String version, int weight, Role role) {
        return new RouteTarget(version, "onnx", "a".repeat(64), 1, weight, role, null);
    }

    private static DeploymentRecord record(List<RouteTarget> targets, DeploymentSpec spec) {
        return new DeploymentRecord(7, "m", new ModelRoute("m", targets, null), "c", Instant.EPOCH, "u", spec, "api");
    }
}
