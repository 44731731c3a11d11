package io.modelmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.Json;
import io.modelmesh.cli.Cli.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * mmctl against the real control plane (embedded PostgreSQL) and a real data-plane node, both in-process on ephemeral
 * ports: register, list, versions, predict (checked against the fixture's reference logits), deploy of an unknown
 * version, a conflicting registration, status.
 */
class CliIntegrationTest {
    private static final Path FIXTURES = Path.of("..", "fixtures", "models");
    private static final String FEATURES = "sepal_length,sepal_width,petal_length,petal_width";

    @TempDir
    static Path home;
    static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(home);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Result mmctl(String... args) {
        return stack.mmctl(args);
    }

    @Test
    void theWholePathThroughMmctl() throws Exception {
        // register: the first version of a new model goes live on the node
        Result reg = mmctl("register", "iris", "--file", FIXTURES.resolve("iris.onnx").toString(), "--features", FEATURES,
                "--meta", "owner=cli-test", "-o", "json");
        assertEquals(0, reg.code(), reg.toString());
        JsonNode registered = Json.mapper().readTree(reg.out());
        String version = registered.at("/version/version").asText();
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+"), reg.out());
        assertEquals("onnx", registered.at("/version/framework").asText(), "framework detected");
        assertEquals(64, registered.at("/version/sha256").asText().length());
        assertEquals(1, registered.at("/deployment/nodes_acked").asInt(), reg.out());

        // list
        Result list = mmctl("list", "-o", "json");
        assertEquals(0, list.code(), list.toString());
        JsonNode page = Json.mapper().readTree(list.out());
        assertEquals("iris", page.at("/items/0/name").asText(), list.out());
        assertEquals(version, page.at("/items/0/live_version").asText(), list.out());

        // versions (table)
        Result versions = mmctl("versions", "iris");
        assertEquals(0, versions.code(), versions.toString());
        assertTrue(versions.out().startsWith("VERSION  LIVE"), versions.out());
        assertTrue(versions.out().lines().skip(1).findFirst().orElseThrow().startsWith(version), versions.out());

        // predict: the node's answer equals the fixture's reference
        JsonNode reference = Json.mapper().readTree(FIXTURES.resolve("iris.reference.json").toFile());
        JsonNode row = reference.at("/inputs/0");
        Result predict = mmctl("predict", "iris", "--input", "{\"inputs\":" + row + "}", "-o", "json");
        assertEquals(0, predict.code(), predict.toString());
        JsonNode prediction = Json.mapper().readTree(predict.out());
        assertEquals(version, prediction.at("/model_version").asText(), predict.out());
        List<Double> logits = flatten(prediction.at("/outputs/logits"));
        List<Double> expected = flatten(reference.at("/outputs/logits/0"));
        assertEquals(expected.size(), logits.size(), predict.out());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), logits.get(i), 1e-5, "logit " + i + ": " + predict.out());
        }

        // the same row as a bare array, table output
        Result bare = mmctl("predict", "iris", "--input", row.toString());
        assertEquals(0, bare.code(), bare.toString());
        assertTrue(bare.out().contains("logits"), bare.out());

        // deploy of a version that does not exist: 3
        Result deploy = mmctl("deploy", "iris", "--version", "9.9.9");
        assertEquals(ExitCodes.NOT_FOUND, deploy.code(), deploy.toString());
        assertTrue(deploy.err().startsWith("error: "), deploy.err());

        // deploy of the existing version: revision and acks
        Result redeploy = mmctl("deploy", "iris", "--version", version);
        assertEquals(0, redeploy.code(), redeploy.toString());
        assertTrue(redeploy.out().contains("acks      1/1 nodes"), redeploy.out());

        // the same version with other bytes: 4
        byte[] other = Files.readAllBytes(FIXTURES.resolve("iris.onnx"));
        byte[] changed = java.util.Arrays.copyOf(other, other.length + 4);
        // an unknown length-delimited protobuf field (number 100): still a valid ONNX model, other bytes
        changed[other.length] = (byte) 0xA2;
        changed[other.length + 1] = 0x06;
        changed[other.length + 2] = 0x01;
        changed[other.length + 3] = 'x';
        Path otherFile = Files.write(home.resolve("iris-other.onnx"), changed);
        Result conflict = mmctl("register", "iris", "--file", otherFile.toString(), "--version", version);
        assertEquals(ExitCodes.CONFLICT, conflict.code(), conflict.toString());
        assertTrue(conflict.err().startsWith("error: "), conflict.err());

        // status
        Result status = mmctl("status", "-o", "json");
        assertEquals(0, status.code(), status.toString());
        JsonNode s = Json.mapper().readTree(status.out());
        assertEquals("UP", s.at("/health/status").asText(), status.out());
        assertEquals(stack.node.nodeId(), s.at("/nodes/0/node_id").asText(), status.out());
        assertEquals("LIVE", s.at("/nodes/0/state").asText(), status.out());
        assertEquals(version, s.at("/models/0/live_version").asText(), status.out());
        Result modelStatus = mmctl("status", "iris");
        assertEquals(0, modelStatus.code(), modelStatus.toString());
        assertTrue(modelStatus.out().contains("acks       1/1 nodes"), modelStatus.out());
    }

    @Test
    void unknownModelIsNotFound() {
        Result r = mmctl("versions", "no-such-model");
        assertEquals(ExitCodes.NOT_FOUND, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.err());
    }

    @Test
    void corruptModelIsInvalidInput() {
        Result r = mmctl("register", "broken", "--file", FIXTURES.resolve("corrupt.onnx").toString(), "--framework",
                "onnx");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
    }

    private static List<Double> flatten(JsonNode n) {
        List<Double> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.addAll(flatten(e)));
        } else if (n.isNumber()) {
            out.add(n.asDouble());
        } else {
            throw new AssertionError("not numbers: " + n);
        }
        return out;
    }
}
