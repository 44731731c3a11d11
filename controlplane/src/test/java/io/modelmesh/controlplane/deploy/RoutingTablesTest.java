package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.controlplane.store.DeploymentRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoutingTablesTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void emptyBeforeAnyDeployment() {
        assertEquals(RoutingTable.empty(), RoutingTables.build(List.of()));
    }

    @Test
    void revisionAndTimeAreThoseOfTheNewestChange() {
        DeploymentRecord iris = record(7, "iris", "1.1.0", T0.plusSeconds(70));
        DeploymentRecord fraud = record(3, "fraud", "2.0.0", T0.plusSeconds(30));
        RoutingTable t = RoutingTables.build(List.of(fraud, iris));
        assertEquals(7, t.revision());
        assertEquals(T0.plusSeconds(70), t.createdAt());
        assertEquals(Map.of("iris", iris.route(), "fraud", fraud.route()), t.models());
        assertEquals(t, RoutingTables.build(List.of(iris, fraud)), "order does not matter");
    }

    @Test
    void fullTrafficRoute() {
        ModelVersion v = version("iris", "1.2.0");
        ModelRoute r = Routes.fullTraffic(v);
        assertEquals("iris", r.model());
        RouteTarget t = r.targets().getFirst();
        assertEquals(List.of(new RouteTarget("1.2.0", "onnx", "ab".repeat(32), 10, 100, RouteTarget.Role.STABLE,
                ModelSchema.empty())), r.targets());
        assertEquals(100, t.weight());
        assertEquals("deploy 1.2.0 at 100%", Routes.fullTrafficChange("1.2.0"));
    }

    @Test
    void oneRowPerModel() {
        assertThrows(IllegalArgumentException.class, () -> RoutingTables.build(List.of(record(1, "a", "1.0.0", T0),
                record(2, "a", "1.1.0", T0))));
    }

    private static DeploymentRecord record(long revision, String model, String version, Instant at) {
        return new DeploymentRecord(revision, model, Routes.fullTraffic(version(model, version)),
                Routes.fullTrafficChange(version), at, "test");
    }

    private static ModelVersion version(String model, String version) {
        return new ModelVersion(model, version, "onnx", "ab".repeat(32), 10, ModelSchema.empty(), Map.of(), null, T0,
                "test", null);
    }
}
