package io.modelmesh.e2e;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attacks of issue 10 against a real control plane (embedded PostgreSQL) and two real nodes, one of which requires
 * prediction tokens (as on any non-loopback address): the one-curl node takeover, a rogue node, anonymous writes, and
 * a prediction token that works on the node within a heartbeat of its creation and stops within one of its revocation.
 */
class TrustBoundaryIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String ROW = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane open;
    static DataPlane guarded;
    static ModelMeshClient admin;

    @BeforeAll
    static void start() throws Exception {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        open = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-open"));
        guarded = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-guarded")
                .withAnonymousPredict(false));
        admin = ModelMeshClient.builder().controlPlane(cp.uri())
                .token(Files.readString(home.resolve("admin-token")).strip()).build();
        Awaitility.await("both nodes to join").atMost(Duration.ofSeconds(30))
                .until(() -> admin.nodes().stream().filter(n -> n.state() == NodeState.LIVE).count() == 2);
        DeploymentStatus d = admin.register(Registration.of("iris", MODELS.resolve("iris.onnx"))).deployment();
        assertEquals(2, d.nodesAcked(), d.toString());
    }

    @AfterAll
    static void stop() {
        for (DataPlane n : new DataPlane[] {open, guarded}) {
            if (n != null) {
                n.close();
            }
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void oneCurlNoLongerTakesANodeOver() throws Exception {
        long before = open.servingRevision();
        HttpResponse<String> takeover = HTTP.send(HttpRequest.newBuilder(open.uri().resolve("/internal/routing"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"cluster_id\":\"" + UUID.randomUUID()
                        + "\",\"epoch\":9,\"revision\":9223372036854775807}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, takeover.statusCode(), takeover.body());
        assertEquals(before, open.servingRevision());
        assertEquals(200, predict(open, null).statusCode(), "it keeps serving");
        // and the control plane can still move it
        admin.register(Registration.of("iris", MODELS.resolve("iris.onnx")).withVersion("1.1.0"));
        DeploymentStatus d = admin.deploy("iris", "1.1.0");
        assertEquals(2, d.nodesAcked(), d.toString());
        assertTrue(predict(open, null).body().contains("\"model_version\":\"1.1.0\""));
    }

    @Test
    void nothingChangesWithoutAToken() {
        ModelMeshClient anonymous = ModelMeshClient.builder().controlPlane(cp.uri()).token(null).build();
        for (Runnable attempt : List.<Runnable>of(
                () -> anonymous.register(Registration.of("evil", MODELS.resolve("iris.onnx"))),
                () -> anonymous.deploy("iris", "1.0.0"),
                () -> anonymous.rollback("iris", null),
                () -> anonymous.listModels(0, 10, null),
                () -> anonymous.nodes())) {
            ModelMeshException e = assertThrows(ModelMeshException.UnauthorizedException.class, attempt::run);
            assertEquals(401, e.status());
        }
        assertTrue(admin.listModels(0, 10, null).items().stream().noneMatch(m -> m.name().equals("evil")));
    }

    @Test
    void aPredictTokenReachesTheNodesAndItsRevocationToo() throws Exception {
        assertEquals(401, predict(guarded, null).statusCode(), "this node wants a token");
        assertEquals(200, predict(open, null).statusCode(), "a loopback node may serve anonymously");
        CreatedToken app = admin.createToken(new TokenRequest("checkout-app", List.of("predict"), null, null));
        Awaitility.await("the node to learn the new token").atMost(Duration.ofSeconds(15))
                .until(() -> predict(guarded, app.token()).statusCode() == 200);
        ModelMeshClient sdk = ModelMeshClient.builder().controlPlane(cp.uri()).token(null)
                .predictToken(app.token()).dataPlanes(List.of(guarded.uri())).build();
        assertEquals("iris", sdk.predict("iris", null, ROW).model());
        admin.revokeToken("checkout-app");
        Awaitility.await("the node to drop the revoked token").atMost(Duration.ofSeconds(15))
                .until(() -> predict(guarded, app.token()).statusCode() == 401);
    }

    private static HttpResponse<String> predict(DataPlane node, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(ROW));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
