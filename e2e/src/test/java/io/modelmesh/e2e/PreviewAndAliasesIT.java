package io.modelmesh.e2e;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.api.TrafficStats;
import io.modelmesh.api.VersionStats;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
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
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 items 5 and 6 against a real control plane and a real node: a prediction names an alias the node resolves
 * from its routing table; a preview call answers from a registered version no route names (loaded on demand over the
 * node's session) for a token with scope preview only, and leaves the split, the traffic statistics and the outcome
 * reports untouched.
 */
class PreviewAndAliasesIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String ROW = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";
    private static final int ROUTED = 5;
    /** Live (not preview) predictions answered 200: what the traffic statistics must count, and nothing more. */
    private static final java.util.concurrent.atomic.AtomicLong LIVE = new java.util.concurrent.atomic.AtomicLong();

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane node;
    static ModelMeshClient admin;
    static String previewer;
    static String predictor;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        node = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-preview")
                .withAnonymousPredict(false));
        admin = ModelMeshClient.builder().controlPlane(cp.uri())
                .token(read(home.resolve("admin-token"))).build();
        Awaitility.await("the node to join").atMost(Duration.ofSeconds(30))
                .until(() -> admin.nodes().stream().anyMatch(n -> n.state() == NodeState.LIVE));
        DeploymentStatus d = admin.register(Registration.of("iris", MODELS.resolve("iris.onnx"))).deployment();
        assertEquals(1, d.nodesAcked(), d.toString());
        admin.register(Registration.of("iris", MODELS.resolve("iris.onnx")).withVersion("1.1.0"));
        admin.register(Registration.of("iris", MODELS.resolve("iris.onnx")).withVersion("1.2.0"));
        CreatedToken p = admin.createToken(new TokenRequest("tester", List.of("preview"), null, null));
        CreatedToken q = admin.createToken(new TokenRequest("app", List.of("predict"), null, null));
        previewer = p.token();
        predictor = q.token();
        Awaitility.await("the node to learn the tokens").atMost(Duration.ofSeconds(15))
                .until(() -> predict("", predictor, false).statusCode() == 200
                        && predict("", previewer, false).statusCode() == 200);
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
    void aPreviewAnswersFromAnUnroutedVersionAndTouchesNoTrafficStatistics() throws Exception {
        assertEquals(404, predict("?version=1.1.0", predictor, false).statusCode(), "not routed: no live call");
        HttpResponse<String> forbidden = predict("?version=1.1.0", predictor, true);
        assertEquals(403, forbidden.statusCode(), forbidden.body());
        assertTrue(forbidden.body().contains("scope 'preview'"), forbidden.body());

        HttpResponse<String> preview = predict("?version=1.1.0", previewer, true);
        assertEquals(200, preview.statusCode(), preview.body());
        assertTrue(preview.body().contains("\"model_version\":\"1.1.0\""), preview.body());
        assertEquals(Optional.of("true"), preview.headers().firstValue("X-ModelMesh-Preview"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, predict("?version=1.1.0", previewer, true).statusCode(), "loaded once, then kept");
        }
        assertEquals(400, predict("", previewer, true).statusCode(), "a preview names its version");
        assertEquals(404, predict("?version=9.9.9", previewer, true).statusCode());

        // the routed version takes the live calls, counted; the preview calls are nowhere
        for (int i = 0; i < ROUTED; i++) {
            HttpResponse<String> live = predict("", predictor, false);
            assertTrue(live.body().contains("\"model_version\":\"1.0.0\""), live.body());
        }
        long live = LIVE.get();
        Awaitility.await("the node's outcome reports to reach the control plane").atMost(Duration.ofSeconds(20))
                .until(() -> requests(admin.traffic("iris"), "1.0.0") >= live);
        TrafficStats stats = admin.traffic("iris");
        assertEquals(live, requests(stats, "1.0.0"), "every live call counted, no preview call: " + stats);
        assertFalse(stats.versions().stream().anyMatch(v -> v.version().equals("1.1.0") && v.requests() > 0),
                "preview calls are not live traffic: " + stats);
        String metrics = HTTP.send(HttpRequest.newBuilder(node.uri().resolve("/metrics"))
                .header("Authorization", "Bearer " + read(home.resolve("admin-token"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertFalse(metrics.lines().anyMatch(l -> l.startsWith("predictions_total") && l.contains("1.1.0")),
                "no live-traffic series for the previewed version");
        assertEquals(List.of("1.0.0"), admin.deployment("iris").route().targets().stream()
                .map(t -> t.version()).toList(), "the split is untouched");
    }

    @Test
    void predictionsAndPreviewsNameAliases() throws Exception {
        admin.setAlias("iris", "champion", "1.0.0");
        admin.setAlias("iris", "challenger", "1.2.0");
        HttpResponse<String> champion = predict("?version=@champion", predictor, false);
        assertEquals(200, champion.statusCode(), champion.body());
        assertTrue(champion.body().contains("\"model_version\":\"1.0.0\""), "the node resolved the alias from its "
                + "routing table: " + champion.body());
        HttpResponse<String> challenger = predict("?version=@challenger", previewer, true);
        assertEquals(200, challenger.statusCode(), challenger.body());
        assertTrue(challenger.body().contains("\"model_version\":\"1.2.0\""), challenger.body());
        HttpResponse<String> unknown = predict("?version=@nobody", predictor, false);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("has no alias @nobody"), unknown.body());
    }

    private static long requests(TrafficStats stats, String version) {
        return stats.versions().stream().filter(v -> v.version().equals(version)).mapToLong(VersionStats::requests)
                .sum();
    }

    private static HttpResponse<String> predict(String query, String token, boolean preview) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.uri().resolve("/predict/iris" + query))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(ROW));
        if (preview) {
            b.header("X-ModelMesh-Preview", "true");
        }
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (!preview && res.statusCode() == 200) {
            LIVE.incrementAndGet();
        }
        return res;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
