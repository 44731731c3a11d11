package io.modelmesh.cli.commands;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Page;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each command end to end through the real SDK against scripted HTTP servers: what is sent, what is printed, which exit
 * code. The real servers are exercised by {@code CliIntegrationTest}.
 */
class CommandsAgainstFakeServersTest {
    private FakeServer cp;
    private FakeServer node;

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
        node = new FakeServer();
    }

    @AfterEach
    void stop() {
        cp.close();
        node.close();
    }

    private Result mmctl(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-plane";
        all[args.length + 1] = cp.uri().toString();
        return Cli.run(ClientFactory.standard(), Map.of(), all);
    }

    private static String json(Object o) throws Exception {
        return Json.mapper().writeValueAsString(o);
    }

    private static String error(int status, String code, String message) {
        return "{\"status\":" + status + ",\"error\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    @Test
    void registerUploadsTheFileWithItsFieldsAndPrintsTheVersion(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("iris.onnx"), new byte[] {1, 2, 3});
        cp.on("POST", "/models", 201, json(Samples.registration(true)));
        Result r = mmctl("register", "iris", "--file", model.toString(), "--framework", "ONNX", "--version", "1.0.0",
                "--features", "sepal_length,sepal_width,petal_length,petal_width", "--meta", "owner=ml",
                "--meta", "team=fraud");
        assertEquals(0, r.code(), r.toString());
        String body = cp.last("POST", "/models").body();
        for (String part : new String[] {"name=\"name\"\r\n", "iris", "name=\"framework\"", "onnx",
                "sepal_length,sepal_width,petal_length,petal_width", "owner=ml", "team=fraud", "name=\"deploy\"",
                "filename=\"iris.onnx\""}) {
            assertTrue(body.contains(part), "multipart lacks " + part + ":\n" + body);
        }
        assertTrue(r.out().contains("sha256     " + Samples.SHA), r.out());
        assertTrue(r.out().contains("live       yes, revision 3, on 2/2 nodes"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void aReRegistrationSaysWhatItUpdatedAndANewVersionWhereItsFeaturesCameFrom(@TempDir Path dir) throws Exception {
        // issue 15: the CLI re-made the answer to add where the version serves and dropped both fields
        Path model = Files.write(dir.resolve("m.onnx"), new byte[] {1});
        cp.on("GET", "/deployments/iris", 404, error(404, "not_found", "iris has no deployment"));
        cp.on("POST", "/models", 200, json(new io.modelmesh.api.RegistrationResult(Samples.version("1.0.0", null),
                false, null, null, java.util.List.of("metadata"))));
        Result again = mmctl("register", "iris", "-f", model.toString(), "--version", "1.0.0", "--meta", "owner=me");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("(already registered with the same bytes; updated metadata)"), again.out());
        cp.on("POST", "/models", 201, json(new io.modelmesh.api.RegistrationResult(Samples.version("1.1.0", null),
                true, null, "1.0.0", java.util.List.of())));
        Result inherited = mmctl("register", "iris", "-f", model.toString(), "--version", "1.1.0");
        assertEquals(0, inherited.code(), inherited.toString());
        assertTrue(inherited.out().contains("from 1.0.0"), inherited.out());
    }

    @Test
    void registerNoDeploySendsDeployFalse(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), new byte[] {1});
        cp.on("POST", "/models", 201, json(Samples.registration(false)));
        Result r = mmctl("register", "iris", "-f", model.toString(), "--no-deploy", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(cp.last("POST", "/models").body().contains("name=\"deploy\"\r\nContent-Type: text/plain; "
                + "charset=UTF-8\r\n\r\nfalse"), cp.last("POST", "/models").body());
        assertEquals("1.0.0", Json.mapper().readTree(r.out()).at("/version/version").asText(), r.out());
    }

    @Test
    void registerConflictExitsFour(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), new byte[] {1});
        cp.on("POST", "/models", 409, error(409, "conflict",
                "iris 1.0.0 is already registered with other bytes (sha256 9f86...); versions are immutable"));
        Result r = mmctl("register", "iris", "-f", model.toString(), "--version", "1.0.0");
        assertEquals(ExitCodes.CONFLICT, r.code(), r.toString());
        assertEquals("error: iris 1.0.0 is already registered with other bytes (sha256 9f86...); versions are "
                + "immutable\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void registerOfAnInvalidModelExitsTwo(@TempDir Path dir) throws Exception {
        Path model = Files.write(dir.resolve("m.onnx"), new byte[] {1});
        cp.on("POST", "/models", 422, error(422, "invalid_model", "m.onnx is not a valid ONNX model"));
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("register", "iris", "-f", model.toString()).code());
    }

    @Test
    void listAsTableAndJson() throws Exception {
        Page<ModelSummary> page = new Page<>(List.of(Samples.summary("1.0.0")), 0, 1, 3);
        cp.on("GET", "/models", 200, json(page));
        Result table = mmctl("list", "--framework", "onnx", "--size", "1");
        assertEquals(0, table.code(), table.toString());
        assertEquals("page=0&size=1&framework=onnx", cp.last("GET", "/models").query());
        assertTrue(table.out().startsWith("NAME  FRAMEWORK  LATEST  LIVE   VERSIONS  CREATED\n"), table.out());
        assertTrue(table.err().contains("showing 1 of 3 models; next page: mmctl list --page 1 --size 1"),
                table.err());

        Result json = mmctl("list", "-o", "json");
        Page<ModelSummary> back = Json.mapper().readValue(json.out(), new TypeReference<>() { });
        assertEquals(page, back);
        assertEquals("", json.err(), "no hints in json mode");
    }

    @Test
    void listOfNothingSaysSoOnStderr() throws Exception {
        cp.on("GET", "/models", 200, json(new Page<>(List.of(), 0, 50, 0)));
        Result r = mmctl("ls");
        assertEquals(0, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("no models registered"), r.err());
    }

    @Test
    void versionsOfAnUnknownModelExitsThree() {
        cp.on("GET", "/models/nope/versions", 404, error(404, "not_found", "no model named 'nope'"));
        Result r = mmctl("versions", "nope");
        assertEquals(ExitCodes.NOT_FOUND, r.code(), r.toString());
        assertEquals("error: no model named 'nope'\n", r.err());
    }

    @Test
    void versionsListsThemWithTheLiveOne() throws Exception {
        cp.on("GET", "/models/iris/versions", 200, json(List.of(Samples.version("1.0.0", null),
                Samples.version("1.1.0", "1.0.0"))));
        cp.on("GET", "/models/iris", 200, json(Samples.summary("1.1.0")));
        Result r = mmctl("versions", "iris");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("1.1.0    *"), r.out());
    }

    @Test
    void versionsMarksBothArmsOfAnABSplitLive() throws Exception {
        // issue 15: under an A/B split the model has no single live version, and LIVE was blank for both arms
        cp.on("GET", "/models/iris/versions", 200, json(List.of(Samples.version("1.0.0", null),
                Samples.version("1.1.0", "1.0.0"), Samples.version("1.2.0", "1.1.0"))));
        cp.on("GET", "/models/iris", 200, json(Samples.summary(null)));
        io.modelmesh.api.ModelRoute ab = new io.modelmesh.api.ModelRoute("iris", List.of(
                new io.modelmesh.api.RouteTarget("1.0.0", "onnx", Samples.SHA, 1536, 50,
                        io.modelmesh.api.RouteTarget.Role.ARM, Samples.schema()),
                new io.modelmesh.api.RouteTarget("1.1.0", "onnx", Samples.SHA, 1536, 50,
                        io.modelmesh.api.RouteTarget.Role.ARM, Samples.schema())), "X-User-Id");
        cp.on("GET", "/deployments/iris", 200, json(new io.modelmesh.api.DeploymentStatus(5, "iris", ab, Samples.T,
                "alice", "ab", 2, 2, List.of(), null)));
        Result r = mmctl("versions", "iris");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("1.0.0    *") && r.out().contains("1.1.0    *"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("1.2.0") && !l.contains("*")), r.out());
    }

    @Test
    void deployPrintsRevisionAndAcksAndWarnsAboutMissingOnes() throws Exception {
        cp.on("POST", "/deployments", 201, json(Samples.deployment("1.1.0", 1, 2)));
        Result r = mmctl("deploy", "iris", "--version", "1.1.0");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\"}", cp.last("POST", "/deployments").body());
        assertTrue(r.out().contains("revision  3"), r.out());
        assertTrue(r.out().contains("acks      1/2 nodes"), r.out());
        assertTrue(r.err().startsWith("warning: 1 node(s) have not acknowledged yet"), r.err());
    }

    @Test
    void deploySendsOnlyTheServingSettingsGiven() throws Exception {
        cp.on("POST", "/deployments", 201, json(Samples.deployment("1.1.0", 2, 2)));
        Result r = mmctl("deploy", "iris", "--version", "1.1.0", "--max-batch-size", "32", "--cache-ttl", "60");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"max_batch_size\":32,\"cache_ttl_seconds\":60}",
                cp.last("POST", "/deployments").body(), "the latency is not sent: the model keeps its current one");
    }

    @Test
    void deploySendsAdmissionAndFallbackSettings() throws Exception {
        cp.on("POST", "/deployments", 201, json(Samples.deployment("1.1.0", 2, 2)));
        Result r = mmctl("deploy", "iris", "--version", "1.1.0", "--max-concurrency", "4", "--max-queue", "64",
                "--timeout", "1500ms", "--fallback", "DEFAULT", "--default-output", "{\"label\": \"unknown\"}");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"max_concurrency\":4,\"max_queue\":64,"
                + "\"timeout_ms\":1500,\"fallback\":\"default\",\"default_output\":{\"label\":\"unknown\"}}",
                cp.last("POST", "/deployments").body());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("deploy", "iris", "--version", "1.1.0", "--timeout", "2")
                .code(), "a duration needs its unit on the command line");
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("deploy", "iris", "--version", "1.1.0", "--timeout", "11m")
                .code());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("deploy", "iris", "--version", "1.1.0", "--fallback", "stale")
                .code());
        Result badJson = mmctl("deploy", "iris", "--version", "1.1.0", "--default-output", "{label: x");
        assertEquals(ExitCodes.INVALID_INPUT, badJson.code(), badJson.toString());
        assertTrue(badJson.err().contains("--default-output is not JSON"), badJson.err());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("deploy", "iris", "--version", "1.1.0", "--default-output",
                "[1]").code());
    }

    @Test
    void deployOfAnUnknownVersionExitsThree() {
        cp.on("POST", "/deployments", 404, error(404, "not_found", "iris has no version 9.9.9 (known: 1.0.0)"));
        Result r = mmctl("deploy", "iris", "--version", "9.9.9");
        assertEquals(ExitCodes.NOT_FOUND, r.code(), r.toString());
        assertEquals("error: iris has no version 9.9.9 (known: 1.0.0)\n", r.err());
    }

    @Test
    void predictWrapsABareRowAndPrintsOutputs() throws Exception {
        node.on("POST", "/predict/iris", 200, json(Samples.prediction()));
        Result r = mmctl("predict", "iris", "--input", "[5.1,3.5,1.4,0.2]", "--data-plane", node.uri().toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"inputs\":[5.1,3.5,1.4,0.2]}", node.last("POST", "/predict/iris").body());
        assertTrue(r.out().contains("logits         [12.665671348571777,"), r.out());

        Result json = mmctl("predict", "iris", "-d", "{\"inputs\":[5.1,3.5,1.4,0.2]}", "--version", "1.0.0",
                "--data-plane", node.uri().toString(), "-o", "json");
        assertEquals("version=1.0.0", node.last("POST", "/predict/iris").query());
        assertEquals(Samples.prediction(), Json.mapper().readValue(json.out(), Prediction.class));
    }

    @Test
    void predictBatchFromAFileGoesToTheBatchRoute(@TempDir Path dir) throws Exception {
        Path rows = Files.writeString(dir.resolve("rows.json"), "[[5.1,3.5,1.4,0.2],[7.0,3.2,4.7,1.4]]");
        node.on("POST", "/predict/iris/batch", 200, json(new Prediction("iris", "1.0.0", "r", false,
                Map.of("label", List.of("setosa", "versicolor")))));
        Result r = mmctl("predict", "iris", "--batch", "-d", "@" + rows, "--data-plane", node.uri().toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"instances\":[[5.1,3.5,1.4,0.2],[7.0,3.2,4.7,1.4]]}",
                node.last("POST", "/predict/iris/batch").body());
        assertTrue(r.out().contains("1    versicolor"), r.out());
    }

    @Test
    void predictFindsNodesThroughTheControlPlane() throws Exception {
        cp.on("GET", "/nodes", 200, json(List.of(Samples.node("node-x", node.uri().getPort(), 1, "LIVE"))));
        node.on("POST", "/predict/iris", 200, json(Samples.prediction()));
        Result r = mmctl("predict", "iris", "--input", "[5.1,3.5,1.4,0.2]");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void predictWithoutLiveNodesIsUnavailable() throws Exception {
        cp.on("GET", "/nodes", 200, json(List.of(Samples.node("node-x", 1, 1, "DEAD"))));
        Result r = mmctl("predict", "iris", "--input", "[1]");
        assertEquals(ExitCodes.UNAVAILABLE, r.code(), r.toString());
        assertTrue(r.err().contains("no live data-plane node"), r.err());
    }

    @Test
    void overloadedNodeIsUnavailableAndServerBugIsFailure() {
        node.on("POST", "/predict/iris", 429, error(429, "overloaded", "queue full"));
        assertEquals(ExitCodes.UNAVAILABLE, mmctl("predict", "iris", "--input", "[1]", "--data-plane",
                node.uri().toString()).code());
        node.on("POST", "/predict/iris", 500, error(500, "internal", "boom"));
        Result r = mmctl("predict", "iris", "--input", "[1]", "--data-plane", node.uri().toString());
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().startsWith("error: boom\ntrace id: "), r.err()); // a server failure names its trace
    }

    private void healthyControlPlane() throws Exception {
        cp.on("GET", "/health", 200, "{\"status\":\"UP\",\"live\":true,\"ready\":true,\"checks\":{\"database\":\"UP\"}}");
        cp.on("GET", "/routing", 200, json(new RoutingTable(4, Samples.T, Map.of("iris", Samples.route("1.0.0")))));
        cp.on("GET", "/nodes", 200, json(List.of(Samples.node("node-8000", 8000, 4, "LIVE"))));
        cp.on("GET", "/models", 200, json(new Page<>(List.of(Samples.summary("1.0.0")), 0, 200, 1)));
    }

    @Test
    void statusShowsEverythingAndJsonHasTheSameFacts() throws Exception {
        healthyControlPlane();
        Result r = mmctl("status");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("node-8000  http://127.0.0.1:8000  LIVE   4         yes"), r.out());
        assertTrue(r.out().contains("iris   onnx       1.0.0  1.1.0   2         1.0.0=100%"), r.out());

        Result json = mmctl("status", "-o", "json");
        var n = Json.mapper().readTree(json.out());
        assertEquals("UP", n.at("/health/status").asText());
        assertEquals(4, n.at("/routing_revision").asLong());
        assertEquals("node-8000", n.at("/nodes/0/node_id").asText());
        assertEquals("1.0.0", n.at("/models/0/live_version").asText());
    }

    @Test
    void statusWithTheDatabaseDownShowsDownAndExitsFive() {
        cp.on("GET", "/health", 503, "{\"status\":\"DOWN\",\"live\":true,\"ready\":false,\"checks\":{\"database\":\"DOWN\"}}");
        Result r = mmctl("status");
        assertEquals(ExitCodes.UNAVAILABLE, r.code(), r.toString());
        assertTrue(r.out().contains("status         DOWN"), r.out());
        assertTrue(r.out().contains("database       DOWN"), r.out());
        assertTrue(r.err().contains("not healthy"), r.err());
    }

    @Test
    void statusOfAModel() throws Exception {
        cp.on("GET", "/models/iris", 200, json(Samples.summary("1.0.0")));
        cp.on("GET", "/deployments/iris", 200, json(Samples.deployment("1.0.0", 1, 1)));
        Result r = mmctl("status", "iris");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("targets    1.0.0 100% stable"), r.out());

        cp.on("GET", "/deployments/iris", 404, error(404, "not_found", "iris is not deployed"));
        Result none = mmctl("status", "iris", "-o", "json");
        assertEquals(0, none.code(), none.toString());
        assertFalse(none.out().contains("\"deployment\""), "null deployment omitted: " + none.out());

        cp.on("GET", "/models/nope", 404, error(404, "not_found", "no model named 'nope'"));
        assertEquals(ExitCodes.NOT_FOUND, mmctl("status", "nope").code());
    }
}
