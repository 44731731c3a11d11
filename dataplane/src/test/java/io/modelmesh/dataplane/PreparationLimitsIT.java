package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Framework;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.validate.ValidationLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node fed hostile artifacts by a scripted control plane: a TorchScript model whose forward never returns is stopped
 * at the validation time limit in a child process and reported, while the node goes on serving and every other model
 * of the same revision moves on; the verdict is kept, so the next revision refuses it without a download.
 */
class PreparationLimitsIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final Duration TIME_LIMIT = Duration.ofSeconds(6); // a legitimate ONNX validation takes ~1-2 s here
    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (cp != null) {
            cp.close();
        }
    }

    private void start(NodeLimits limits) throws IOException {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.serve(MODELS.resolve("iris.pt"));
        cp.serve(MODELS.resolve("hang.pt"));
        node = DataPlane.start(cp.nodeConfig(home).withLimits(limits));
        Await.until(() -> node.servingRevision() == 0 && get("/health").contains("\"ready\":true"),
                Duration.ofSeconds(30), "node to start");
        RoutingAck first = push(table(1, Map.of("iris", onnx("1.0.0"))));
        assertTrue(first.applied(), String.valueOf(first));
    }

    @Test
    void aModelThatNeverFinishesLoadingIsLeftBehindWhileTheNodeServesAndEveryOtherModelMovesOn() throws Exception {
        start(NodeLimits.defaults().withValidation(new ValidationLimits(TIME_LIMIT, 1L << 30)));
        // iris 2.0.0: the same bytes bound to other feature names, so a new artifact for the node to prepare
        RoutingTable two = table(2, Map.of("iris", onnx("2.0.0", List.of("a", "b", "c", "d")),
                "hang", torch("1.0.0", "hang.pt")));
        long start = System.nanoTime();
        CompletableFuture<RoutingAck> pushed = CompletableFuture.supplyAsync(() -> push(two));
        List<String> served = new ArrayList<>();
        while (!pushed.isDone()) {
            served.add(predict("iris"));
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        RoutingAck ack = pushed.join();

        assertTrue(served.size() > 5 && served.stream().allMatch(v -> v.equals("1.0.0") || v.equals("2.0.0")),
                "the node answered all along: " + served.size() + " predictions, versions " + Set.copyOf(served));
        assertFalse(ack.applied());
        assertEquals(2, ack.servingRevision());
        assertEquals(Set.of("hang"), ack.failed().keySet());
        assertTrue(ack.failed().get("hang").contains("did not finish within the validation time limit of 6 s"),
                ack.failed().get("hang"));
        assertTrue(tookMs < TIME_LIMIT.toMillis() + 15_000, "the push was answered at the limit: " + tookMs + " ms");
        assertEquals("2.0.0", predict("iris"), "the other model of the revision moved on");
        HttpResponse<String> hang = post("/predict/hang", "{\"inputs\": [1, 2, 3, 4]}");
        assertEquals(503, hang.statusCode());
        assertTrue(hang.body().contains("deployed but this node could not load it"), hang.body());

        // the verdict is kept in the node's directory: the next revision refuses it at once, without downloading it
        int downloads = cp.downloads.get();
        long again = System.nanoTime();
        RoutingAck three = push(table(3, Map.of("iris", onnx("2.0.0", List.of("a", "b", "c", "d")),
                "hang", torch("1.0.0", "hang.pt"))));
        assertTrue((System.nanoTime() - again) / 1_000_000 < TIME_LIMIT.toMillis(), "refused from the stored verdict");
        assertEquals(Set.of("hang"), three.failed().keySet());
        assertEquals(downloads, cp.downloads.get(), "nothing downloaded again");
        assertEquals(3, node.servingRevision());

        // and the next change of the good model is not held up by the bad one
        RoutingAck four = push(table(4, Map.of("iris", onnx("3.0.0"))));
        assertTrue(four.applied(), String.valueOf(four));
        assertNull(four.failed());
        assertEquals("3.0.0", predict("iris"));
    }

    @Test
    void aNodeRefusesFrameworksItDoesNotAllowAndKeepsServingTheRest() throws Exception {
        start(NodeLimits.defaults().withFrameworks(Set.of(Framework.ONNX, Framework.PMML, Framework.SKLEARN)));
        RoutingAck ack = push(table(2, Map.of("iris", onnx("2.0.0"), "torch", torch("1.0.0", "iris.pt"))));
        assertEquals(Map.of("torch", "version 1.0.0 (" + Fixtures.sha256(MODELS.resolve("iris.pt")).substring(0, 12)
                + "): framework 'torchscript' is not allowed on this node, which loads onnx, sklearn, pmml models "
                + "only (MM_ALLOWED_FRAMEWORKS / --allowed-frameworks)"), ack.failed());
        assertEquals("2.0.0", predict("iris"));
    }

    @Test
    void aRestartedNodeServesWhatItServedAndRetriesWhatItLeftBehind() throws Exception {
        NodeLimits limits = NodeLimits.defaults().withValidation(new ValidationLimits(TIME_LIMIT, 1L << 30));
        start(limits);
        RoutingTable two = table(2, Map.of("iris", onnx("2.0.0"), "hang", torch("1.0.0", "hang.pt")));
        assertEquals(Set.of("hang"), push(two).failed().keySet());
        node.close();
        // the control plane now offers the same revision (the retry path); the node restores revision 2 as it served it
        cp.table = two;
        node = DataPlane.start(cp.nodeConfig(home).withLimits(limits));
        assertEquals(2, node.servingRevision());
        assertEquals("2.0.0", predict("iris"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health").contains("\"failed\":{\"hang\":"));
    }

    @Test
    void temporaryFilesAKilledNodeLeftAreRemovedAtStart() throws Exception {
        Path nodeDir = home.resolve("nodes/node-test");
        Path download = Files.write(Files.createDirectories(nodeDir.resolve("artifacts")).resolve("download77.tmp"),
                new byte[4096]);
        Path table = Files.writeString(nodeDir.resolve("routing12.tmp"), "{\"revision\":");
        Path verdict = Files.writeString(Files.createDirectories(nodeDir.resolve("verdicts")).resolve(
                ".verdict-1.tmp"), "{");
        Path childTmp = Files.createDirectories(nodeDir.resolve("validation/tmp/0a1b"));
        start(NodeLimits.defaults());
        for (Path p : List.of(download, table, verdict, childTmp)) {
            assertFalse(Files.exists(p), p + " removed at start");
        }
        assertEquals("1.0.0", predict("iris"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static RouteTarget onnx(String version) {
        return onnx(version, Fixtures.IRIS_FEATURES);
    }

    private static RouteTarget onnx(String version, List<String> features) {
        return Fixtures.target(version, Fixtures.IRIS, features);
    }

    private static RouteTarget torch(String version, String file) {
        Path p = MODELS.resolve(file);
        try {
            ModelSchema schema = new ModelSchema(List.of(new TensorSpec("input", "FP32", List.of(-1L, 4L))),
                    List.of(), Fixtures.IRIS_FEATURES);
            return new RouteTarget(version, "torchscript", Fixtures.sha256(p), Files.size(p), 100,
                    RouteTarget.Role.STABLE, schema);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RoutingTable table(long revision, Map<String, RouteTarget> targets) {
        Map<String, ModelRoute> routes = new LinkedHashMap<>();
        targets.forEach((model, t) -> routes.put(model, new ModelRoute(model, List.of(t), null)));
        return new RoutingTable(revision, Instant.now(), routes);
    }

    private RoutingAck push(RoutingTable table) {
        try {
            return cp.push(node, table);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String predict(String model) throws Exception {
        HttpResponse<String> res = post("/predict/" + model, "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}");
        assertEquals(200, res.statusCode(), res.body());
        return json.readTree(res.body()).get("model_version").asText();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(node.uri().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
