package io.modelmesh.controlplane;

import io.modelmesh.api.ErrorBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A control plane on an external database reports DOWN (503) while that database is unreachable. */
class HealthTest {
    @TempDir
    Path owner;
    @TempDir
    Path tenant;

    @Test
    void healthIsDownAnd503WhenTheDatabaseIsUnreachable() {
        ControlPlane withDatabase = ControlPlane.start(ControlPlaneConfig.forTests(owner));
        ControlPlaneConfig external = SharedDatabase.on(withDatabase, tenant);
        try (ControlPlane cp = ControlPlane.start(external)) {
            Api api = Api.admin(withDatabase).on(cp); // one database: the first control plane's tokens
            HttpResponse<byte[]> up = api.get("/health");
            assertEquals(200, up.statusCode());
            assertEquals(Map.of("status", "UP", "live", true, "ready", true, "checks", Map.of("database", "UP")),
                    api.map(up));

            withDatabase.close(); // stops the embedded PostgreSQL the other control plane uses

            HttpResponse<byte[]> down = api.get("/health");
            assertEquals(503, down.statusCode());
            Map<String, Object> body = api.map(down);
            assertEquals("DOWN", body.get("status"));
            assertEquals(false, body.get("ready"));
            assertEquals(Map.of("database", "DOWN"), body.get("checks"));

            HttpResponse<byte[]> models = api.get("/models");
            assertEquals(503, models.statusCode(), Api.text(models));
            ErrorBody e = api.error(models);
            assertEquals("unavailable", e.error());
            assertTrue(e.message().contains("database is unreachable"), e.message());
        } finally {
            withDatabase.close();
        }
    }
}
