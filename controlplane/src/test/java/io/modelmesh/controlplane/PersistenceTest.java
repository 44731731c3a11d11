package io.modelmesh.controlplane;

import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Everything survives a restart on the same home: rows in the embedded database and the artifact files. */
class PersistenceTest {
    @TempDir
    Path home;

    @Test
    void registryDeploymentsAndNodesSurviveARestart() throws Exception {
        Path iris = Fixtures.irisOnnx();
        RegistrationResult registered;
        ModelSummary summary;
        RoutingTable table;
        Path stray;
        try (ControlPlane first = ControlPlane.start(ControlPlaneConfig.forTests(home))) {
            ModelMeshClient client = TestTokens.adminClient(first);
            registered = client.register(Registration.of("iris", iris));
            Api.admin(first).post("/nodes/register", new NodeRegistration("node-x", "http://127.0.0.1:9", 0));
            summary = client.model("iris");
            table = client.routing();
            // an artifact no row knows (as a crash between storing and committing would leave)
            stray = first.artifactDirectory().resolve("ab".repeat(32));
            Files.write(stray, new byte[] {1});
        }

        try (ControlPlane second = ControlPlane.start(ControlPlaneConfig.forTests(home))) {
            ModelMeshClient client = TestTokens.adminClient(second);
            assertEquals(summary, client.model("iris"));
            assertEquals(List.of(registered.version()), client.versions("iris"));
            assertEquals(table, client.routing());
            assertEquals(registered.deployment().id(), client.deployment("iris").id());
            assertTrue(client.nodes().stream().anyMatch(n -> n.nodeId().equals("node-x")));

            HttpResponse<byte[]> artifact = Api.admin(second).get("/artifacts/" + registered.version().sha256());
            assertEquals(200, artifact.statusCode());
            assertArrayEquals(Files.readAllBytes(iris), artifact.body());
            assertFalse(Files.exists(stray), "unreferenced artifacts are removed at start");

            ModelVersion next = client.register(Registration.of("iris", iris)).version();
            assertEquals("1.1.0", next.version());
            assertEquals("1.0.0", next.parent());
        }
    }
}
