package io.modelmesh.e2e;

import io.modelmesh.api.RolloutState;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.controlplane.rollout.RolloutController;
import io.modelmesh.controlplane.store.EmbeddedDatabase;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Real control planes (PostgreSQL) and real nodes when the control plane changes under the nodes: a control plane
 * whose database was wiped (a new cluster identity, revisions starting again) is followed by every node, and of two
 * control planes on one database the survivor takes the controller lease over and keeps the nodes served.
 */
class ControlPlaneFailoverIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final String ROW = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path home;

    @Test
    void everyNodeServesWhatAControlPlaneOnAWipedDatabaseDeploys() throws Exception {
        Path firstHome = home.resolve("cp");
        ControlPlane first = ControlPlane.start(ControlPlaneConfig.forTests(firstHome));
        List<DataPlane> nodes = new ArrayList<>();
        ControlPlane second = null;
        try {
            for (String id : List.of("node-1", "node-2")) { // both read the join token from the control plane's home
                nodes.add(DataPlane.start(DataPlaneConfig.forTests(first.uri(), firstHome).withNodeId(id)));
            }
            ModelMeshClient admin = admin(first.uri(), firstHome);
            awaitLive(admin, 2);
            admin.register(Registration.of("iris", MODELS.resolve("iris.onnx")));
            admin.register(Registration.of("iris-b", MODELS.resolve("iris.onnx")));
            DeploymentStatus third = admin.register(Registration.of("iris-c", MODELS.resolve("iris.onnx")))
                    .deployment();
            assertEquals(2, third.nodesAcked(), third.toString());
            String oldCluster = admin.routing().clusterId();
            int port = first.port();
            String joinToken = Files.readString(firstHome.resolve("join-token")).strip();
            first.close();

            // the same address, an empty database: revision numbers start again below what the nodes serve
            Path wiped = home.resolve("cp-wiped");
            second = ControlPlane.start(ControlPlaneConfig.forTests(wiped).withPort(port).withJoinToken(joinToken));
            ModelMeshClient fresh = admin(second.uri(), wiped);
            awaitLive(fresh, 2);
            for (DataPlane n : nodes) {
                assertEquals(third.routingRevision(), n.servingRevision(), "nothing deployed yet: the nodes keep what they serve");
            }
            DeploymentStatus wine = fresh.register(Registration.of("after-wipe", MODELS.resolve("iris.onnx")))
                    .deployment();
            assertEquals(1, wine.id(), "a new database's first revision");
            assertNotEquals(oldCluster, fresh.routing().clusterId());
            Awaitility.await("both nodes to adopt revision 1 of the new cluster").atMost(WAIT).until(() ->
                    nodes.stream().allMatch(n -> n.servingRevision() == 1));
            for (DataPlane n : nodes) {
                ModelMeshClient node = ModelMeshClient.builder().dataPlanes(List.of(n.uri())).build();
                Prediction p = node.predict("after-wipe", null, ROW);
                assertNotNull(p.outputs());
                assertEquals(404, assertThrows(ModelMeshException.class, () -> node.predict("iris-c", null, ROW))
                        .status(), "the old cluster's models are gone with its table");
            }
            Awaitility.await("the acknowledgements of revision 1").atMost(WAIT).until(() -> fresh.nodes().stream()
                    .filter(s -> s.servingRevision() == 1).count() == 2);
        } finally {
            nodes.forEach(DataPlane::close);
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    @Test
    void theSurvivorOfTwoControlPlanesTakesTheLeaseOverAndKeepsTheNodesServed() throws Exception {
        Path a = home.resolve("cp-a");
        Path b = home.resolve("cp-b");
        Files.createDirectories(home.resolve("pg"));
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(home.resolve("pg").resolve("data"),
                home.resolve("pg").resolve("log"), home.resolve("pg").resolve("password"))) {
            String password = Files.readString(home.resolve("pg").resolve("password")).strip();
            Path artifacts = home.resolve("shared-artifacts");
            ControlPlane first = ControlPlane.start(ControlPlaneConfig.forTests(a)
                    .withDatabase(pg.jdbcUrl(), EmbeddedDatabase.USER, password).withArtifactDir(artifacts));
            ControlPlane second = ControlPlane.start(ControlPlaneConfig.forTests(b)
                    .withDatabase(pg.jdbcUrl(), EmbeddedDatabase.USER, password).withArtifactDir(artifacts));
            DataPlane node = null;
            try {
                ModelMeshClient viaFirst = admin(first.uri(), a); // one database: the first control plane's tokens
                ModelMeshClient viaSecond = admin(second.uri(), a);
                Awaitility.await("one leader").atMost(WAIT).until(() -> leader(viaFirst) ^ leader(viaSecond));
                ControlPlane leader = leader(viaFirst) ? first : second;
                ControlPlane survivor = leader == first ? second : first;
                ModelMeshClient viaSurvivor = leader == first ? viaSecond : viaFirst;
                assertEquals(viaFirst.health().get("cluster_id"), viaSecond.health().get("cluster_id"));

                // the node prefers the leader, and fails over to the survivor
                node = DataPlane.start(DataPlaneConfig.forTests(List.of(leader.uri(), survivor.uri()), a)
                        .withNodeId("node-ha"));
                awaitLive(viaSurvivor, 1);
                DeploymentStatus before = viaSurvivor.register(Registration.of("iris", MODELS.resolve("iris.onnx")))
                        .deployment();
                assertEquals(1, before.nodesAcked(), "a deploy on the follower waits for the node's "
                        + "acknowledgement, which may reach either control plane: " + before);

                long stopped = System.nanoTime();
                leader.close();
                Awaitility.await("the survivor to lead").atMost(Duration.ofSeconds(5))
                        .until(() -> leader(viaSurvivor));
                System.out.printf("takeover after a graceful stop: %d ms%n", (System.nanoTime() - stopped) / 1_000_000);

                DeploymentStatus after = viaSurvivor.register(Registration.of("after", MODELS.resolve("iris.onnx")))
                        .deployment();
                assertEquals(1, after.nodesAcked(), after.toString());
                ModelMeshClient predict = ModelMeshClient.builder().dataPlanes(List.of(node.uri())).build();
                assertNotNull(predict.predict("after", null, ROW).outputs());
                assertNotNull(predict.predict("iris", null, ROW).outputs());
            } finally {
                if (node != null) {
                    node.close();
                }
                first.close();
                second.close();
            }
        }
    }

    @Test
    void aCanaryGoesOnToItsPromotionAfterTheLeaderStopsMidway() throws Exception {
        Path a = home.resolve("cp-a");
        Files.createDirectories(home.resolve("pg"));
        try (EmbeddedDatabase pg = EmbeddedDatabase.start(home.resolve("pg").resolve("data"),
                home.resolve("pg").resolve("log"), home.resolve("pg").resolve("password"))) {
            String password = Files.readString(home.resolve("pg").resolve("password")).strip();
            Path artifacts = home.resolve("shared-artifacts");
            ControlPlane first = ControlPlane.start(ControlPlaneConfig.forTests(a)
                    .withDatabase(pg.jdbcUrl(), EmbeddedDatabase.USER, password).withArtifactDir(artifacts));
            ControlPlane second = ControlPlane.start(ControlPlaneConfig.forTests(home.resolve("cp-b"))
                    .withDatabase(pg.jdbcUrl(), EmbeddedDatabase.USER, password).withArtifactDir(artifacts));
            DataPlane node = null;
            java.util.concurrent.atomic.AtomicBoolean serving = new java.util.concurrent.atomic.AtomicBoolean(true);
            try {
                ModelMeshClient viaFirst = admin(first.uri(), a);
                ModelMeshClient viaSecond = admin(second.uri(), a);
                Awaitility.await("one leader").atMost(WAIT).until(() -> leader(viaFirst) ^ leader(viaSecond));
                ControlPlane leader = leader(viaFirst) ? first : second;
                ModelMeshClient viaSurvivor = leader == first ? viaSecond : viaFirst;
                node = DataPlane.start(DataPlaneConfig.forTests(List.of(leader.uri(),
                        (leader == first ? second : first).uri()), a).withNodeId("node-canary"));
                awaitLive(viaSurvivor, 1);
                viaSurvivor.register(Registration.of("iris", MODELS.resolve("iris_logreg.pkl")).withVersion("1.0.0"));
                viaSurvivor.register(Registration.of("iris", MODELS.resolve("iris_rf.pkl")).withVersion("1.1.0"));

                // traffic from many users, so about half of it reaches the canary (paced: it is load, not a wait)
                ModelMeshClient users = ModelMeshClient.builder().dataPlanes(List.of(node.uri())).build();
                Thread.ofVirtual().start(() -> {
                    for (int i = 0; serving.get(); i++) {
                        try {
                            users.predict("iris", null, ROW, Map.of("X-User-Id", "user-" + i));
                        } catch (RuntimeException e) {
                            // counted by the canary analysis like any failure; the test judges the rollout
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                    }
                });
                RolloutStatus started = viaSurvivor.canary(new CanaryRequest("iris", "1.1.0", null, List.of(50, 100),
                        4, null, null, 5, 5, null, null, null, true)); // another input schema, meant
                assertEquals(RolloutState.RUNNING, started.state());

                leader.close(); // mid-canary: the step has not lasted its 4 s yet
                Awaitility.await("the survivor to lead").atMost(Duration.ofSeconds(5))
                        .until(() -> leader(viaSurvivor));
                RolloutStatus done = Awaitility.await("the survivor to promote the canary").atMost(WAIT)
                        .until(() -> viaSurvivor.rollout(started.id()), r -> r.state() != RolloutState.RUNNING);
                assertEquals(RolloutState.PROMOTED, done.state(), done.toString());
                long controllerActions = viaSurvivor.history("iris").stream()
                        .filter(d -> RolloutController.USER.equals(d.createdBy())).count();
                assertEquals(1, controllerActions, "one step from 50 % to 100 %, acted on once: "
                        + viaSurvivor.history("iris"));
            } finally {
                serving.set(false);
                if (node != null) {
                    node.close();
                }
                first.close();
                second.close();
            }
        }
    }

    private static boolean leader(ModelMeshClient cp) {
        try {
            Map<String, Object> h = cp.health();
            return Boolean.TRUE.equals(h.get("leader"));
        } catch (RuntimeException e) {
            return false; // stopped
        }
    }

    private static void awaitLive(ModelMeshClient admin, int count) {
        Awaitility.await(count + " live node(s)").atMost(WAIT)
                .until(() -> admin.nodes().stream().filter(n -> n.state() == NodeState.LIVE).count() == count);
    }

    private static ModelMeshClient admin(URI cp, Path home) throws IOException {
        return ModelMeshClient.builder().controlPlane(cp).token(Files.readString(home.resolve("admin-token")).strip())
                .build();
    }
}
