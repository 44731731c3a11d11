package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Json;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --dry-run} on deploy, canary, promote and rollback writes nothing (issue 13, item 5). */
class DryRunTest {
    private FakeServer cp;

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
        cp.on("GET", "/models/iris/versions", 200, Json.mapper().writeValueAsString(
                List.of(Samples.version("1.0.0", null), Samples.version("1.1.0", "1.0.0"))));
        cp.on("GET", "/deployments/iris", 200, Json.mapper().writeValueAsString(Samples.deployment("1.0.0", 1, 1)));
        DeploymentStatus d = Samples.deployment("1.0.0", 1, 1);
        cp.on("GET", "/deployments/iris/history", 200, Json.mapper().writeValueAsString(List.of(
                new DeploymentStatus(3, "iris", d.route(), Samples.T, "alice", "deploy 1.0.0", 1, 1, List.of()),
                new DeploymentStatus(5, "iris", Samples.canaryRoute(), Samples.T, "alice", "canary 1.1.0", 1, 1,
                        List.of()))));
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    private Cli.Result mmctl(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--control-plane";
        all[args.length + 1] = cp.uri().toString();
        return Cli.run(ClientFactory.standard(), Map.of(), all);
    }

    private boolean wroteNothing() {
        return cp.requests().stream().allMatch(r -> r.method().equals("GET")
                || "dry_run=true".equals(r.query()));
    }

    @Test
    void deployAsksTheControlPlaneToPlanIt() throws Exception {
        cp.on("POST", "/deployments", 200, Json.mapper().writeValueAsString(new DeploymentStatus(0, "iris",
                Samples.route("1.1.0"), Samples.T, "alice", "dry run: deploy 1.1.0 at 100%", 0, 0, List.of())));
        Cli.Result r = mmctl("deploy", "iris", "--version", "1.1.0", "--dry-run");
        assertEquals(0, r.code(), r.toString());
        assertEquals("dry_run=true", cp.last("POST", "/deployments").query());
        assertTrue(r.err().contains("dry run: nothing written"), r.err());
        assertTrue(!r.err().contains("warning"), "no warning about unacknowledged nodes: " + r.err());
    }

    @Test
    void canaryPromoteAndRollbackSayWhatTheyWouldDo() throws Exception {
        Cli.Result canary = mmctl("canary", "iris", "--version", "1.1.0", "--percent", "10", "--dry-run");
        assertEquals(0, canary.code(), canary.toString());
        assertTrue(canary.out().contains("start a canary of 1.1.0 at 10% next to stable 1.0.0"), canary.out());
        assertEquals(ExitCodes.NOT_FOUND,
                mmctl("canary", "iris", "--version", "9.9.9", "--percent", "10", "--dry-run").code());

        cp.on("GET", "/deployments/iris/canary", 200, Json.mapper().writeValueAsString(
                Samples.rollout("RUNNING", null)));
        Cli.Result promote = mmctl("promote", "iris", "--dry-run", "-o", "json");
        assertEquals(0, promote.code(), promote.toString());
        assertTrue(promote.out().contains("promote canary 1.1.0 (rollout 7, at 25%) to 100%"), promote.out());

        Cli.Result back = mmctl("rollback", "iris", "--dry-run");
        assertTrue(back.out().contains("roll back canary 1.1.0 (rollout 7)"), back.toString());
        Cli.Result to = mmctl("rollback", "iris", "--to", "3", "--dry-run");
        assertTrue(to.out().contains("restore revision 3 (deploy 1.0.0)"), to.toString());
        assertEquals(ExitCodes.NOT_FOUND, mmctl("rollback", "iris", "--to", "4", "--dry-run").code());

        cp.on("GET", "/deployments/iris/canary", 200, Json.mapper().writeValueAsString(
                Samples.rollout("PROMOTED", null)));
        assertEquals(ExitCodes.CONFLICT, mmctl("promote", "iris", "--dry-run").code());
        assertTrue(wroteNothing(), cp.requests().toString());
    }
}
