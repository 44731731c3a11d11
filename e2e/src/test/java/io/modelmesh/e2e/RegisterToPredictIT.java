package io.modelmesh.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One model's whole journey on real parts: a control plane on embedded PostgreSQL, two data-plane nodes on real
 * sockets, the SDK, the committed ONNX fixture and its reference outputs. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegisterToPredictIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final Path IRIS = MODELS.resolve("iris.onnx");
    private static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane a;
    static DataPlane b;
    static ModelMeshClient admin;
    static JsonNode reference;

    @BeforeAll
    static void start() throws IOException {
        reference = new ObjectMapper().readTree(MODELS.resolve("iris.reference.json").toFile());
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        a = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-a"));
        b = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-b"));
        admin = ModelMeshClient.builder().controlPlane(cp.uri())
                .token(Files.readString(home.resolve("admin-token")).strip()).build();
        await(() -> live().size() == 2, "both nodes to register");
    }

    @AfterAll
    static void stop() {
        Stream.of(a, b).filter(n -> n != null).forEach(DataPlane::close);
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    @Order(1)
    void firstVersionGoesLiveOnEveryNodeBeforeRegisterAnswers() {
        RegistrationResult r = admin.register(Registration.of("iris", IRIS).withFeatures(FEATURES)
                .withMetadata(java.util.Map.of("owner", "e2e")));
        assertTrue(r.created());
        ModelVersion v = r.version();
        assertEquals("1.0.0", v.version());
        assertEquals("onnx", v.framework());
        assertEquals(64, v.sha256().length());
        assertEquals(FEATURES, v.schema().features());
        assertEquals("input", v.schema().inputs().getFirst().name());
        assertEquals("e2e", v.metadata().get("owner"));
        DeploymentStatus d = r.deployment();
        assertNotNull(d, "the first version of a new model is deployed on registration");
        assertEquals(2, d.nodesTotal());
        assertEquals(2, d.nodesAcked(), "register answers once every live node serves it: " + d.errors());
        // no waiting: both nodes serve the reference outputs right away
        for (DataPlane node : List.of(a, b)) {
            assertMatchesReference(client(node), "1.0.0");
        }
    }

    @Test
    @Order(2)
    void laterVersionsWaitForDeploy() {
        RegistrationResult r = admin.register(Registration.of("iris", IRIS).withFeatures(FEATURES));
        assertEquals("1.1.0", r.version().version(), "omitted versions bump the minor of the highest");
        assertEquals("1.0.0", r.version().parent());
        assertNull(r.deployment(), "only a new model's first version deploys itself");
        assertEquals("1.0.0", client(a).predict("iris", 1, 2, 3, 4).modelVersion());

        DeploymentStatus d = admin.deploy("iris", "1.1.0");
        assertEquals(2, d.nodesAcked(), d.errors().toString());
        for (DataPlane node : List.of(a, b)) {
            assertMatchesReference(client(node), "1.1.0");
        }
        ModelMeshException gone = assertThrows(ModelMeshException.NotFoundException.class,
                () -> client(a).predict("iris", "1.0.0", "{\"inputs\": [1, 2, 3, 4]}"));
        assertTrue(gone.getMessage().contains("[1.1.0]"), gone.getMessage());
        assertEquals(List.of("1.0.0", "1.1.0"), admin.versions("iris").stream().map(ModelVersion::version).toList());
    }

    @Test
    @Order(3)
    void badUploadsAreRefusedWithNothingStoredAndNodesKeepServing() throws IOException {
        long artifactsBefore = count(cp.artifactDirectory());
        ModelMeshException corrupt = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> admin.register(Registration.of("iris", MODELS.resolve("corrupt.onnx")).withVersion("9.0.0")));
        assertEquals(422, corrupt.status());
        assertTrue(corrupt.getMessage().contains("not a valid ONNX model"), corrupt.getMessage());
        ModelMeshException conflict = assertThrows(ModelMeshException.ConflictException.class,
                () -> admin.register(Registration.of("iris", MODELS.resolve("corrupt.onnx")).withVersion("1.0.0")
                        .withFramework(io.modelmesh.api.Framework.ONNX)));
        assertEquals(409, conflict.status());
        assertThrows(ModelMeshException.NotFoundException.class, () -> admin.deploy("iris", "7.7.7"));
        assertThrows(ModelMeshException.NotFoundException.class, () -> admin.deploy("nope", "1.0.0"));
        assertEquals(artifactsBefore, count(cp.artifactDirectory()), "no artifact file left behind");
        assertEquals(2, admin.versions("iris").size(), "no version row left behind");
        assertMatchesReference(client(b), "1.1.0");
    }

    @Test
    @Order(4)
    void aNodeThatMissedAPushCatchesUpOnItsHeartbeat() {
        b.close();
        admin.register(Registration.of("iris", IRIS).withFeatures(FEATURES).withVersion("2.0.0"));
        DeploymentStatus d = admin.deploy("iris", "2.0.0");
        assertTrue(d.nodesAcked() >= 1, d.toString());
        assertEquals("2.0.0", client(a).predict("iris", 1, 2, 3, 4).modelVersion());

        b = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-b"));
        assertEquals("1.1.0", client(b).predict("iris", 1, 2, 3, 4).modelVersion(),
                "restored its last table from disk first");
        await(() -> b.servingRevision() == a.servingRevision(), "node-b to catch up");
        assertMatchesReference(client(b), "2.0.0");
    }

    @Test
    @Order(5)
    void nodesServeWhileTheControlPlaneIsDownAndItComesBackWithEverything() throws Exception {
        int port = cp.port();
        long revision = a.servingRevision();
        cp.close();
        assertMatchesReference(client(a), "2.0.0");
        a.close();
        a = DataPlane.start(DataPlaneConfig.forTests(URI.create("http://127.0.0.1:" + port), home).withNodeId("node-a"));
        assertEquals(revision, a.servingRevision(), "a restarted node serves its saved revision without the control plane");
        assertMatchesReference(client(a), "2.0.0");

        cp = ControlPlane.start(ControlPlaneConfig.forTests(home).withPort(port));
        admin = ModelMeshClient.builder().controlPlane(cp.uri())
                .token(Files.readString(home.resolve("admin-token")).strip()).build();
        assertEquals(List.of("1.0.0", "1.1.0", "2.0.0"), admin.versions("iris").stream().map(ModelVersion::version).toList());
        assertEquals("2.0.0", admin.model("iris").liveVersion());
        assertEquals(revision, admin.routing().revision(), "routing revision persisted");
        await(() -> live().size() == 2, "both nodes to re-register");
    }

    private static ModelMeshClient client(DataPlane node) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri())).build();
    }

    private static List<NodeStatus> live() {
        return admin.nodes().stream().filter(n -> n.state() == NodeState.LIVE).toList();
    }

    private static void assertMatchesReference(ModelMeshClient client, String version) {
        Prediction batch = client.predictBatch("iris", null, "{\"instances\": " + reference.get("inputs") + "}");
        assertEquals(version, batch.modelVersion());
        for (String output : List.of("logits", "probabilities")) {
            List<?> rows = (List<?>) batch.outputs().get(output);
            JsonNode expected = reference.get("outputs").get(output);
            assertEquals(expected.size(), rows.size());
            for (int r = 0; r < rows.size(); r++) {
                List<?> row = (List<?>) rows.get(r);
                for (int c = 0; c < row.size(); c++) {
                    assertEquals(expected.get(r).get(c).asDouble(), ((Number) row.get(c)).doubleValue(), TOLERANCE,
                            output + "[" + r + "][" + c + "]");
                }
            }
        }
        JsonNode row0 = reference.get("inputs").get(0);
        Prediction named = client.predict("iris", null, "{\"inputs\": {\"sepal_length\": " + row0.get(0)
                + ", \"sepal_width\": " + row0.get(1) + ", \"petal_length\": " + row0.get(2) + ", \"petal_width\": "
                + row0.get(3) + "}}");
        assertFalse(named.requestId().isEmpty());
        assertEquals(reference.get("outputs").get("logits").get(0).get(0).asDouble(),
                ((Number) ((List<?>) named.outputs().get("logits")).getFirst()).doubleValue(), TOLERANCE);
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }
}
