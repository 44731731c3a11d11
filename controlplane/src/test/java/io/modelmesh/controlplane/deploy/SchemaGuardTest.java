package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RouteTarget.Role;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.server.errors.ConflictException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaGuardTest {
    static final ModelSchema NAMED = new ModelSchema(List.of(new TensorSpec("input", "FP32", List.of(-1L, 2L))),
            List.of(), List.of("a", "b"));
    static final ModelSchema UNNAMED = new ModelSchema(NAMED.inputs(), List.of(), List.of());

    static RouteTarget t(String v, int w, Role r, ModelSchema s) {
        return new RouteTarget(v, "onnx", "a".repeat(64), 1, w, r, s);
    }

    @Test
    void aCanaryThatLostTheFeatureNamesIsRefused() {
        DeploymentSpec spec = new DeploymentSpec(DeploymentSpec.Strategy.CANARY, "1.0.0",
                new CanarySpec("1.1.0", 10, null, null, null), null, null, null);
        ModelRoute route = new ModelRoute("iris", List.of(t("1.0.0", 90, Role.STABLE, NAMED),
                t("1.1.0", 10, Role.CANARY, UNNAMED)), null);
        ConflictException e = assertThrows(ConflictException.class, () -> SchemaGuard.check("iris", spec, route,
                "1.0.0"));
        assertTrue(e.getMessage().contains("canary 1.1.0 takes another input than the stable version 1.0.0: "
                + "features removed: [a, b]"), e.getMessage());
        SchemaGuard.check("iris", DeploymentSpec.full("1.1.0", null), new ModelRoute("iris",
                List.of(t("1.1.0", 100, Role.STABLE, UNNAMED)), null), "1.0.0"); // a full deploy is not compared
    }

    @Test
    void armsAreComparedWithTheVersionServingNow() {
        DeploymentSpec spec = new DeploymentSpec(DeploymentSpec.Strategy.AB, null, null, null,
                new AbSpec(null, List.of(new AbArm("1.1.0", 50), new AbArm("1.0.0", 50))), null);
        ModelRoute route = new ModelRoute("iris", List.of(t("1.1.0", 50, Role.ARM, UNNAMED),
                t("1.0.0", 50, Role.ARM, NAMED)), null);
        assertEquals(List.of("arm 1.1.0 takes another input than arm 1.0.0: features removed: [a, b]"),
                SchemaGuard.problems(spec, route, "1.0.0"));
    }
}
