package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.api.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StageMovesTest {
    static RouteTarget t(String v, int weight, Role role) {
        return new RouteTarget(v, "onnx", "a".repeat(64), 1, weight, role, ModelSchema.empty());
    }

    static ModelRoute route(RouteTarget... targets) {
        return new ModelRoute("iris", List.of(targets), null);
    }

    @Test
    void rolloutsMoveStages() {
        ModelRoute v1 = route(t("1.0.0", 100, Role.STABLE));
        assertEquals(Map.of("1.0.0", Stage.PRODUCTION), StageMoves.of(null, v1), "first deploy");
        ModelRoute canary = route(t("1.0.0", 90, Role.STABLE), t("1.1.0", 10, Role.CANARY));
        assertEquals(Map.of(), StageMoves.of(v1, canary), "a canary is not production");
        ModelRoute promoted = route(t("1.1.0", 100, Role.STABLE));
        assertEquals(Map.of("1.1.0", Stage.PRODUCTION, "1.0.0", Stage.ARCHIVED), StageMoves.of(canary, promoted));
        assertEquals(Map.of(), StageMoves.of(canary, v1), "a canary rolled back stays where it was");
        ModelRoute shadow = route(t("1.1.0", 100, Role.STABLE), t("1.2.0", 100, Role.SHADOW));
        assertEquals(Map.of(), StageMoves.of(promoted, shadow));
        ModelRoute ab = route(t("1.1.0", 50, Role.ARM), t("1.2.0", 50, Role.ARM));
        assertEquals(Map.of("1.2.0", Stage.PRODUCTION), StageMoves.of(shadow, ab), "an arm serves live traffic");
        assertEquals(Map.of(), StageMoves.of(promoted, route()), "an undeploy replaces nothing");
        assertEquals(Map.of(), StageMoves.of(promoted, promoted), "the same route (an alias revision)");
    }
}
