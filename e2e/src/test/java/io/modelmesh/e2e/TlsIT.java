package io.modelmesh.e2e;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.security.PemTrust;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.dataplane.sync.ControlPlaneApi;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import io.modelmesh.server.tls.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both servers on https with the committed test certificates (fixtures/tls, made by make_certs.sh): the node joins
 * the control plane over https verifying it with the test CA, the control plane pushes to the node's https URL
 * verifying it the same way, and the SDK registers and predicts over https. Clients that do not trust the test CA (the
 * JDK's default trust store, another CA) are refused, and so is plain http on the https ports.
 */
class TlsIT {
    private static final Path TLS = Path.of("..", "fixtures", "tls").toAbsolutePath().normalize();
    private static final Path CA = TLS.resolve("ca.pem");
    private static final TlsSettings SERVER = new TlsSettings(TLS.resolve("server.pem"), TLS.resolve("server.key"), CA);
    private static final Path IRIS = Path.of("..", "fixtures", "models", "iris.onnx");
    private static final String ROW = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane node;
    static ModelMeshClient client;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home).withTls(SERVER));
        node = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("tls-node").withTls(SERVER));
        client = ModelMeshClient.builder().controlPlane(cp.uri()).trust(CA).token(adminToken()).build();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.nodes().stream()
                .anyMatch(n -> n.nodeId().equals("tls-node") && n.state() == NodeState.LIVE));
    }

    private static String adminToken() {
        try {
            return Files.readString(home.resolve("admin-token")).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void registerThenPredictOverHttpsEndToEnd() {
        assertEquals("https", cp.uri().getScheme());
        assertEquals("https", node.uri().getScheme());
        NodeStatus registered = client.nodes().stream().filter(n -> n.nodeId().equals("tls-node")).findFirst()
                .orElseThrow();
        assertTrue(registered.url().startsWith("https://"), "the node advertises its https URL: " + registered.url());

        RegistrationResult r = client.register(Registration.of("iris-tls", IRIS));
        assertEquals(1, r.deployment().nodesAcked(), "the control plane pushed to the https node and it acked");
        Prediction p = client.predict("iris-tls", null, ROW);
        assertEquals("iris-tls", p.model());
        assertEquals(r.version().version(), p.modelVersion());
    }

    @Test
    void clientsThatDoNotTrustTheCaAreRefused() {
        ModelMeshClient jdkDefaults = ModelMeshClient.builder().controlPlane(cp.uri()).trust(null).build();
        ModelMeshException.UnavailableException e = assertThrows(ModelMeshException.UnavailableException.class,
                jdkDefaults::nodes);
        assertEquals("tls", e.error().error());
        assertTrue(e.getMessage().contains("--tls-ca"), e.getMessage());

        ModelMeshClient otherCa = ModelMeshClient.builder().controlPlane(cp.uri())
                .trust(TLS.resolve("other-ca.pem")).build();
        assertThrows(ModelMeshException.UnavailableException.class, otherCa::nodes);
        ModelMeshClient otherCaToNode = ModelMeshClient.builder().controlPlane(cp.uri())
                .trust(TLS.resolve("other-ca.pem")).dataPlanes(List.of(node.uri())).build();
        assertThrows(ModelMeshException.UnavailableException.class,
                () -> otherCaToNode.predict("iris-tls", null, ROW));

        // a node without the CA cannot talk to its control plane either
        ControlPlaneApi untrusting = new ControlPlaneApi(List.of(cp.uri()), "untrusting",
                new NodeSession(System::currentTimeMillis), PemTrust.sslContext(null), Duration.ofMinutes(1));
        assertThrows(SSLException.class, () -> untrusting.register(new NodeRegistration("untrusting",
                "https://127.0.0.1:1", 0), adminToken()));
    }

    @Test
    void plainHttpOnTheHttpsPortsGetsNoAnswer() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (URI server : List.of(cp.uri(), node.uri())) {
            URI plain = URI.create("http://" + server.getHost() + ":" + server.getPort() + "/health");
            HttpRequest req = HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> http.send(req, HttpResponse.BodyHandlers.ofString()),
                    "no health answer over plain http from " + plain);
        }
    }
}
