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
            Map<String, Object> upBody = api.map(up);
            assertEquals("UP", upBody.get("status"));
            assertEquals(true, upBody.get("ready"));
            assertEquals(Map.of("database", "UP"), upBody.get("checks"));
            assertEquals(false, upBody.get("leader"), "the first control plane on the database leads");
            assertEquals(api.map(Api.admin(withDatabase).get("/health")).get("cluster_id"), upBody.get("cluster_id"),
                    "one database, one cluster");
            assertTrue(String.valueOf(upBody.get("instance")).startsWith("cp-"), upBody.toString());

            withDatabase.close(); // stops the embedded PostgreSQL the other control plane uses

            HttpResponse<byte[]> down = api.get("/health");
            assertEquals(503, down.statusCode());
            Map<String, Object> body = api.map(down);
            assertEquals("DOWN", body.get("status"));
            assertEquals(false, body.get("ready"));
            assertEquals(Map.of("database", "DOWN"), body.get("checks"));
            assertTrue(String.valueOf(body.get("message")).contains("nodes keep serving"), body.toString());

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
