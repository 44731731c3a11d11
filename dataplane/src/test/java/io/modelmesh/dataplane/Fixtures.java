package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.TensorSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The committed fixtures (made by fixtures/make_fixtures.py) and tables that name them. */
public final class Fixtures {
    public static final Path MODELS = Path.of("..", "fixtures", "models");
    public static final Path IRIS = MODELS.resolve("iris.onnx");
    public static final Path CORRUPT = MODELS.resolve("corrupt.onnx");
    public static final List<String> IRIS_FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    private Fixtures() {
    }

    /** iris.reference.json: inputs and the outputs torch computed for them. */
    public static JsonNode reference() {
        try {
            return new ObjectMapper().readTree(MODELS.resolve("iris.reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RouteTarget target(String version, Path artifact, List<String> features) {
        try {
            ModelSchema schema = new ModelSchema(List.of(new TensorSpec("input", "FP32", List.of(-1L, 4L))),
                    List.of(), features);
            return new RouteTarget(version, "onnx", sha256(artifact), Files.size(artifact), 100,
                    RouteTarget.Role.STABLE, schema);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RoutingTable table(long revision, String model, RouteTarget... targets) {
        return new RoutingTable(revision, Instant.now(), Map.of(model, new ModelRoute(model, List.of(targets), null)));
    }
}
