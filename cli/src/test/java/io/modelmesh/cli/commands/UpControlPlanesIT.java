package io.modelmesh.cli.commands;

import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.local.PidFile;
import io.modelmesh.cli.local.StackHome;
import io.modelmesh.controlplane.rollout.RolloutController;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.Registration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mmctl up --control-planes 2}: two control-plane processes on the first one's embedded PostgreSQL, a node that
 * knows both. Then the chaos case of issue 11: the leader is killed with SIGKILL in the middle of a stepped canary, and
 * the survivor takes the lease and finishes the canary with exactly one controller action. Real processes, real
 * PostgreSQL, real sockets.
 */
class UpControlPlanesIT {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final String ROW = "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path home;

    @Test
    void twoControlPlanesOnOneDatabaseAndTheCanaryOutlivesItsLeadersSigkill() throws Exception {
        int cpPort = LoopbackPorts.pair();
        int nodePort = Arrays.stream(LoopbackPorts.distinct(3)).filter(p -> p != cpPort && p != cpPort + 1)
                .findFirst().orElseThrow();
        URI first = URI.create("http://127.0.0.1:" + cpPort);
        URI second = URI.create("http://127.0.0.1:" + (cpPort + 1));
        AtomicBoolean serving = new AtomicBoolean(true);
        Optional<ProcessHandle> postgres = Optional.empty();
        try {
            Result up = Cli.run(ClientFactory.standard(), Map.of(), "up", "--home", home.toString(), "--port",
                    Integer.toString(cpPort), "--node-port", Integer.toString(nodePort), "--control-planes", "2",
                    "--nodes", "1", "--detach", "--timeout", "180", "-o", "json");
            assertEquals(0, up.code(), up.toString());
            assertTrue(up.out().contains("\"control_planes\""), up.out());
            assertTrue(up.err().contains("export MM_CONTROL_PLANE=" + first + "," + second), up.err());
            postgres = postmaster();

            // the second has its own scratch home, shares the artifacts, and got the database by environment only
            String password = Files.readString(home.resolve("postgres-password")).strip();
            PidFile two = PidFile.read(new StackHome(home), "control-plane-2").orElseThrow();
            String cmdline = read(Path.of("/proc", Long.toString(two.pid()), "cmdline")).replace('\0', ' ');
            assertTrue(cmdline.contains("--home " + home.resolve("control-plane-2")), cmdline);
            assertTrue(cmdline.contains("--artifact-dir " + home.resolve("artifacts")), cmdline);
            assertFalse(cmdline.contains(password), "the database password on a command line");
            String node = read(Path.of("/proc", Long.toString(PidFile.read(new StackHome(home), "node-" + nodePort)
                    .orElseThrow().pid()), "cmdline")).replace('\0', ' ');
            assertTrue(node.contains("--control-plane " + first + "," + second), node);

            String token = Files.readString(home.resolve("admin-token")).strip();
            ModelMeshClient viaFirst = ModelMeshClient.builder().controlPlane(first).token(token).build();
            ModelMeshClient viaSecond = ModelMeshClient.builder().controlPlane(second).token(token).build();
            Awaitility.await("one leader").atMost(WAIT).until(() -> leader(viaFirst) ^ leader(viaSecond));
            boolean firstLeads = leader(viaFirst);
            ModelMeshClient viaSurvivor = firstLeads ? viaSecond : viaFirst;
            long leaderPid = PidFile.read(new StackHome(home), firstLeads ? "control-plane" : "control-plane-2")
                    .orElseThrow().pid();

            viaSurvivor.register(Registration.of("iris", MODELS.resolve("iris_logreg.pkl")).withVersion("1.0.0"));
            viaSurvivor.register(Registration.of("iris", MODELS.resolve("iris_rf.pkl")).withVersion("1.1.0"));
            Awaitility.await("the node serving iris").atMost(WAIT).until(() -> viaSurvivor.nodes().stream()
                    .anyMatch(n -> n.state() == NodeState.LIVE && n.servingRevision() > 0));
            // traffic from many users, so about half of it reaches the canary (paced: it is load, not a wait)
            ModelMeshClient users = ModelMeshClient.builder().controlPlane(first)
                    .dataPlanes(List.of(URI.create("http://127.0.0.1:" + nodePort))).build();
            Thread.ofVirtual().start(() -> {
                for (int i = 0; serving.get(); i++) {
                    try {
                        users.predict("iris", null, ROW, Map.of("X-User-Id", "user-" + i));
                    } catch (RuntimeException e) {
                        // counted by the canary analysis like any failure; the test judges the rollout
                    }
                    LockSupport.parkNanos(20_000_000);
                }
            });
            RolloutStatus started = viaSurvivor.canary(new CanaryRequest("iris", "1.1.0", null, List.of(50, 100),
                    4, null, null, 5, 5, null, null, null, true)); // another input schema, meant
            assertEquals(RolloutState.RUNNING, started.state());

            ProcessHandle leader = ProcessHandle.of(leaderPid).orElseThrow();
            long killed = System.nanoTime();
            assertTrue(leader.destroyForcibly(), "SIGKILL the leader");   // mid-canary: the 50 % step lasts 4 s
            leader.onExit().get();
            // the lease's TTL (3 s) plus one step (1 s) by design; the bound leaves room for a loaded CI machine
            Awaitility.await("the survivor to lead").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> leader(viaSurvivor));
            System.out.printf("UpControlPlanesIT: the %s control plane took the lease %d ms after the leader's "
                    + "SIGKILL%n", firstLeads ? "second" : "first", (System.nanoTime() - killed) / 1_000_000);
            RolloutStatus done = Awaitility.await("the survivor to finish the canary").atMost(WAIT)
                    .until(() -> viaSurvivor.rollout(started.id()), r -> r.state() != RolloutState.RUNNING);
            assertEquals(RolloutState.PROMOTED, done.state(), done.toString());
            long controllerActions = viaSurvivor.history("iris").stream()
                    .filter(d -> RolloutController.USER.equals(d.createdBy())).count();
            assertEquals(1, controllerActions, "one step from 50 % to 100 %, acted on once: "
                    + viaSurvivor.history("iris"));
        } finally {
            serving.set(false);
            Result down = Cli.run("down", "--home", home.toString());
            assertEquals(0, down.code(), down.toString());
            // a SIGKILLed first control plane leaves its embedded PostgreSQL running (pg_ctl detaches it)
            postgres.filter(ProcessHandle::isAlive).ifPresent(pg -> {
                pg.destroy();
                pg.onExit().join();
            });
        }
    }

    private static boolean leader(ModelMeshClient cp) {
        try {
            return Boolean.TRUE.equals(cp.health().get("leader"));
        } catch (RuntimeException e) {
            return false; // killed
        }
    }

    /** The embedded PostgreSQL's postmaster (first line of its postmaster.pid). */
    private Optional<ProcessHandle> postmaster() {
        Path pid = home.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(read(pid).lines().findFirst().orElseThrow().strip()));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
