package io.modelmesh.dataplane.routing;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouterTest {
    private static RouteTarget target(String v, int weight, RouteTarget.Role role) {
        return new RouteTarget(v, "onnx", "0".repeat(64), 1, weight, role, ModelSchema.empty());
    }

    private static ServingTable table(RouteTarget... targets) {
        ModelRoute route = new ModelRoute("m", List.of(targets), null);
        Map<String, ServedVersion> versions = new LinkedHashMap<>();
        for (RouteTarget t : targets) {
            versions.put(t.version(), new ServedVersion("m", t, null));
        }
        return new ServingTable(new RoutingTable(1, Instant.EPOCH, Map.of("m", route)),
                Map.of("m", ServedModel.of(route, versions)));
    }

    @Test
    void drawFallsIntoCumulativeWeights() {
        ServingTable t = table(target("1.0.0", 90, RouteTarget.Role.STABLE), target("2.0.0", 10, RouteTarget.Role.CANARY));
        assertEquals("1.0.0", Router.pick(t, "m", null, 0).version());
        assertEquals("1.0.0", Router.pick(t, "m", null, 89.999).version());
        assertEquals("2.0.0", Router.pick(t, "m", null, 90.0).version());
        assertEquals("2.0.0", Router.pick(t, "m", null, 99.999).version());
    }

    @Test
    void shadowAndZeroWeightTargetsTakeNoRoutedTraffic() {
        ServingTable t = table(target("1.0.0", 100, RouteTarget.Role.STABLE), target("2.0.0", 0, RouteTarget.Role.CANARY),
                target("3.0.0", 100, RouteTarget.Role.SHADOW));
        for (double d = 0; d < 100; d += 0.5) {
            assertEquals("1.0.0", Router.pick(t, "m", null, d).version());
        }
        assertEquals("3.0.0", Router.pick(t, "m", "3.0.0", 0).version(), "explicit version reaches any target");
    }

    @Test
    void unknownModelOrVersionIsNotFoundWithWhatIsServed() {
        ServingTable t = table(target("1.0.0", 100, RouteTarget.Role.STABLE));
        assertTrue(assertThrows(NotFoundException.class, () -> Router.pick(t, "x", null, 0)).getMessage().contains("[m]"));
        assertTrue(assertThrows(NotFoundException.class, () -> Router.pick(t, "m", "9.9.9", 0)).getMessage()
                .contains("[1.0.0]"));
    }

    @Test
    void noWeightedTargetIsUnavailable() {
        ServingTable t = table(target("1.0.0", 0, RouteTarget.Role.STABLE));
        assertThrows(UnavailableException.class, () -> Router.pick(t, "m", null, 0));
    }
}
