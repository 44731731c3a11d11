package io.modelmesh.cli;

import io.modelmesh.cli.Cli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mmctl predict} with the control plane down (issue 15, item 9): a real control plane and a real node; the
 * control plane is stopped while the node keeps serving its routing table.
 */
class PredictWithoutControlPlaneTest {
    private static final Path IRIS = Path.of("..", "fixtures", "models", "iris.onnx");
    private static final String ROW = "[5.1,3.5,1.4,0.2]";

    @TempDir
    Path home;
    @TempDir
    Path config;
    @TempDir
    Path otherConfig;
    private LocalStack stack;
    private String controlPlane;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private Result mmctl(String... args) {
        return mmctl(config, args);
    }

    private Result mmctl(Path configDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--control-plane", controlPlane));
        return Cli.run(ClientFactory.standard(), Map.of("MM_HOME", home.resolve("cp").toString(),
                "XDG_CONFIG_HOME", configDir.toString()), all.toArray(String[]::new));
    }

    @Test
    void predictGoesOnThroughTheNodesLastSeenAndSaysSo() {
        stack = LocalStack.start(home);
        controlPlane = stack.controlPlane.uri().toString();
        Result reg = mmctl("register", "iris", "--file", IRIS.toString(), "--features",
                "sepal_length,sepal_width,petal_length,petal_width");
        assertEquals(0, reg.code(), reg.toString());
        Result live = mmctl("predict", "iris", "--input", ROW);
        assertEquals(0, live.code(), live.toString());
        assertTrue(Files.isRegularFile(config.resolve("mmctl").resolve("nodes.json")), "the live nodes are kept");

        stack.controlPlane.close();

        Result down = mmctl("predict", "iris", "--input", ROW, "-o", "json");
        assertEquals(0, down.code(), down.toString());
        assertTrue(down.out().contains("\"model\": \"iris\""), down.out());
        assertTrue(down.err().contains("warning: the control plane is unreachable")
                && down.err().contains("predicting through the nodes last seen live")
                && down.err().contains(stack.node.uri().getPort() + ""), down.err());
        assertTrue(!down.err().contains("/deployments"), down.err());

        Result named = mmctl("predict", "iris", "--input", ROW, "--data-plane", stack.node.uri().toString());
        assertEquals(0, named.code(), named.toString());
        assertEquals("", named.err(), "--data-plane does not ask the control plane");

        Result never = mmctl(otherConfig, "predict", "iris", "--input", ROW);
        assertEquals(ExitCodes.UNAVAILABLE, never.code(), never.toString());
        assertTrue(never.err().contains("no nodes seen through it before: name one with --data-plane URL"),
                never.err());
    }
}
