package io.modelmesh.e2e;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DriftReport;
import io.modelmesh.api.FeatureDrift;
import io.modelmesh.api.LatencyReport;
import io.modelmesh.api.LatencyWindow;
import io.modelmesh.api.VersionDrift;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 12 on real parts: two nodes sample the rows they serve and report them with their latencies; the control
 * plane merges both nodes into latency windows and into one drift window per version, and flags a shifted feature.
 */
class ObservabilityIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final String MODEL = "watched";
    private static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length",
            "petal_width");

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane a;
    static DataPlane b;
    static ModelMeshClient admin;

    @BeforeAll
    static void start() throws Exception {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        a = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-a")
                .withReportInterval(Duration.ofMillis(200)));
        b = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-b")
                .withReportInterval(Duration.ofMillis(200)));
        String token = Files.readString(home.resolve("admin-token")).strip();
        admin = ModelMeshClient.builder().controlPlane(cp.uri()).token(token).build();
        Awaitility.await("both nodes to register").atMost(Duration.ofSeconds(60))
                .until(() -> admin.nodes().stream().filter(n -> n.state() == NodeState.LIVE).count() == 2);
        admin.register(Registration.of(MODEL, MODELS.resolve("iris.onnx")).withFeatures(FEATURES));
        admin.deploy(new DeployRequest(MODEL, "1.0.0", null, null, null, 500));
        Awaitility.await("both nodes to serve the model").atMost(Duration.ofSeconds(60))
                .until(() -> a.servingRevision() == b.servingRevision()
                        && a.servingRevision() >= admin.deployment(MODEL).routingRevision());
    }

    @AfterAll
    static void stop() {
        Stream.of(a, b).filter(n -> n != null).forEach(DataPlane::close);
        if (cp != null) {
            cp.close();
        }
    }

    static ModelMeshClient client(DataPlane node) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri())).build();
    }

    /** A batch of 20 iris-like rows, petal_length moved by {@code shift} of its spread. */
    static String batch(Random r, double shift) {
        double[] mean = {5.84, 3.06, 3.76, 1.20};
        double[] sd = {0.83, 0.44, 1.77, 0.76};
        StringBuilder sb = new StringBuilder("{\"instances\": [");
        for (int i = 0; i < 20; i++) {
            sb.append(i == 0 ? "[" : ", [");
            for (int f = 0; f < 4; f++) {
                sb.append(f == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f",
                        mean[f] + sd[f] * (r.nextGaussian() + (f == 2 ? shift : 0))));
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    /** Sends batches alternately to both nodes until the control plane's drift report satisfies {@code done}. */
    static VersionDrift sendUntil(Random r, double shift, Predicate<VersionDrift> done, String what) {
        for (int i = 0; i < 400; i++) {
            client(i % 2 == 0 ? a : b).predictBatch(MODEL, null, batch(r, shift));
            VersionDrift v = admin.drift(MODEL).versions().getFirst();
            if (done.test(v)) {
                return v;
            }
        }
        return fail(what + " did not happen within 8,000 rows: " + admin.drift(MODEL));
    }

    @Test
    void bothNodesRowsFillOneReferenceAndWindowAndAShiftIsFlagged() {
        Random r = new Random(7);
        VersionDrift reference = sendUntil(r, 0, v -> v.referenceRows() == 500, "the reference");
        assertEquals("served", reference.referenceSource());
        VersionDrift evaluated = sendUntil(r, 0, v -> v.evaluatedAt() != null, "the first evaluation");
        assertEquals(500, evaluated.currentRows());
        assertEquals(FEATURES, evaluated.features().stream().map(FeatureDrift::feature).toList());

        // three standard deviations: flagged with certainty whatever the sample
        VersionDrift shifted = sendUntil(r, 3, v -> v.features().stream()
                .anyMatch(f -> f.feature().equals("petal_length") && f.drifted()), "flagging petal_length");
        assertTrue(shifted.drifted());
        FeatureDrift petal = shifted.features().get(2);
        assertTrue(petal.psi() > 0.2 || petal.ksPValue() < 0.05 / 4 / 200, "the rule: " + petal);
        // the shifted rows keep coming: once PSI passes 0.2 as well, the KS test agrees
        VersionDrift later = sendUntil(r, 3, v -> v.features().get(2).psi() > 0.2, "PSI of petal_length above 0.2");
        assertTrue(later.features().get(2).drifted() && later.features().get(2).ksPValue() < 0.05 / 4 / 200, later.toString());
        DriftReport report = admin.drift(MODEL);
        assertTrue(report.drifted());
        assertEquals(500, report.window());

        // every prediction request of both nodes is in the latency windows, within the minute
        Awaitility.await("both nodes' requests counted").atMost(Duration.ofSeconds(10)).until(() -> {
            LatencyReport l = admin.latency(MODEL);
            LatencyWindow one = l.versions().getFirst().windows().getFirst();
            return one.requests() >= 2 && one.p99Ms() != null;
        });
        LatencyReport l = admin.latency(MODEL);
        assertEquals("1.0.0", l.versions().getFirst().version());
        assertEquals(0, l.versions().getFirst().windows().getFirst().errors());
        assertTrue(admin.latency().stream().anyMatch(x -> x.model().equals(MODEL)));
    }
}
