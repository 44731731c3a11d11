package io.modelmesh.cli.commands;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowSample;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.api.TrafficStats;
import io.modelmesh.api.VersionStats;

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
        return new NodeStatus(id, "http://127.0.0.1:" + port, revision, io.modelmesh.api.NodeState.valueOf(state),
                T, T);
    }

    /** iris: 1.0.0 stable at 95 %, 1.1.0 canary at 5 %. */
    public static ModelRoute canaryRoute() {
        return new ModelRoute("iris", List.of(
                new RouteTarget("1.0.0", "onnx", SHA, 1536, 95, RouteTarget.Role.STABLE, schema()),
                new RouteTarget("1.1.0", "onnx", SHA, 1536, 5, RouteTarget.Role.CANARY, schema())), null);
    }

    public static RolloutStatus rollout(String state, String reason) {
        return new RolloutStatus(7, "iris", "1.0.0", "1.1.0", io.modelmesh.api.RolloutState.valueOf(state), 25,
                List.of(5, 25, 50, 100), 1, 30,
                new AnalysisPolicy(0.02, 250.0, 20, 10), reason, 12, "alice", T, T, null);
    }

    public static TrafficStats traffic() {
        return new TrafficStats("iris", 12, T, 10, List.of(
                new VersionStats("1.0.0", RouteTarget.Role.STABLE, 75, 1500, 0, 0.0, 1.2, 2.5, 3.1, 300, 0, 3.0),
                new VersionStats("1.1.0", RouteTarget.Role.CANARY, 25, 500, 10, 0.02, 1.4, 2.8, 4.25, 100, 2, null)));
    }

    public static ShadowReport shadowReport() {
        return new ShadowReport("iris", "1.1.0", "1.0.0", true, T, 1200, 3, 1, 1196, 0.985, 0.0123, 0.41, 1.25,
                List.of(new ShadowSample(T, "req-9", "{\"inputs\":[1,2,3,4]}", "{\"label\":\"setosa\"}",
                                "{\"label\":\"versicolor\"}", null, false, 0.41, 1.5, 2.75),
                        new ShadowSample(T, "req-8", "{}", "{\"label\":\"setosa\"}", null, "HTTP 500", null,
                                Double.NaN, 1.0, 3.0)));
    }

    public static Prediction prediction() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logits", List.of(12.665671348571777, 3.1413557529449463, -18.237865447998047));
        out.put("probabilities", List.of(0.9999269247055054, 7.304835162358359e-05, 3.7908126073946113e-14));
        return new Prediction("iris", "1.0.0", "req-1", false, out);
    }
}
