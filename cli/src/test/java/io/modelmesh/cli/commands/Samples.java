package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.TensorSpec;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records as the servers return them, for rendering tests and the fake servers. */
public final class Samples {
    public static final Instant T = Instant.parse("2026-11-24T09:47:00Z");
    public static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private Samples() {
    }

    public static ModelSchema schema() {
        return new ModelSchema(List.of(new TensorSpec("input", "FP32", List.of(-1L, 4L))),
                List.of(new TensorSpec("logits", "FP32", List.of(-1L, 3L)),
                        new TensorSpec("probabilities", "FP32", List.of(-1L, 3L))),
                List.of("sepal_length", "sepal_width", "petal_length", "petal_width"));
    }

    public static ModelVersion version(String v, String parent) {
        return new ModelVersion("iris", v, "onnx", SHA, 1536, schema(), Map.of("owner", "ml"), parent, T, "alice",
                null);
    }

    public static ModelRoute route(String v) {
        return new ModelRoute("iris", List.of(new RouteTarget(v, "onnx", SHA, 1536, 100, RouteTarget.Role.STABLE,
                schema())), null);
    }

    public static DeploymentStatus deployment(String v, int acked, int total) {
        return new DeploymentStatus(3, "iris", route(v), T, "alice", "deploy " + v + " at 100%", acked, total,
                acked == total ? List.of() : List.of("node-8001: timed out loading " + v));
    }

    public static RegistrationResult registration(boolean live) {
        return new RegistrationResult(version("1.0.0", null), true, live ? deployment("1.0.0", 2, 2) : null);
    }

    public static ModelSummary summary(String live) {
        return new ModelSummary("iris", "onnx", "1.1.0", live, 2, T);
    }

    public static NodeStatus node(String id, int port, long revision, String state) {
        return new NodeStatus(id, "http://127.0.0.1:" + port, revision, state, T, T);
    }

    public static Prediction prediction() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logits", List.of(12.665671348571777, 3.1413557529449463, -18.237865447998047));
        out.put("probabilities", List.of(0.9999269247055054, 7.304835162358359e-05, 3.7908126073946113e-14));
        return new Prediction("iris", "1.0.0", "req-1", false, out);
    }
}
