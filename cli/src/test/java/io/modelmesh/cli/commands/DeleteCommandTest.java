package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelDeletion;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FakeServer;
import io.modelmesh.cli.MmCtl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mmctl delete} and {@code mmctl undeploy} through the real SDK against a scripted control plane. */
class DeleteCommandTest {
    private FakeServer cp;
    private final List<String> asked = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    /** Runs mmctl with {@code answer} typed at a terminal (null: no terminal). */
    private Result mmctl(String answer, String... args) {
        CliEnvironment.Prompt prompt = answer == null ? null : q -> {
            asked.add(q);
            return answer;
        };
        CommandLine cl = MmCtl.commandLine(ClientFactory.standard(), new CliEnvironment(Map.of(
                "XDG_CONFIG_HOME", "/nonexistent/mmctl-test-config"), false, prompt));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-plane";
        all[args.length + 1] = cp.uri().toString();
        return new Result(cl.execute(all), out.toString(), err.toString());
    }

    private static String json(Object o) throws Exception {
        return Json.mapper().writeValueAsString(o);
    }

    @Test
    void aScriptDeletesAVersionWithYesWithoutBeingAsked() throws Exception {
        cp.on("DELETE", "/models/iris/versions/1.0.0", 200, json(new ModelDeletion("iris", false, List.of("1.0.0"),
                List.of("ab".repeat(32)), 2516)));
        Result r = mmctl(null, "delete", "iris", "--version", "1.0.0", "--yes");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("version of iris") && r.out().contains("1 (2516 bytes freed)"), r.out());
        assertEquals(List.of(), asked);
    }

    /** Without a terminal there is nobody to ask: a script must say --yes, or nothing is deleted (exit 2). */
    @Test
    void aScriptWithoutYesIsRefusedAndNothingIsSent() {
        Result r = mmctl(null, "delete", "iris", "--version", "1.0.0");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("refusing to delete without a terminal") && r.err().contains("--yes"), r.err());
        assertTrue(cp.requests().isEmpty(), "nothing was sent");
    }

    @Test
    void onATerminalItAsksAndOnlyYesDeletes() throws Exception {
        cp.on("DELETE", "/models/iris", 200, json(new ModelDeletion("iris", true, List.of("1.0.0", "1.1.0"),
                List.of(), 0)));
        Result no = mmctl("n", "delete", "iris");
        assertEquals(ExitCodes.FAILURE, no.code(), no.toString());
        assertTrue(no.err().contains("nothing deleted"), no.err());
        assertTrue(cp.requests().isEmpty(), "nothing was sent");
        assertEquals(List.of("Delete model 'iris' with all its versions and its history? [y/N] "), asked);

        Result yes = mmctl("yes", "delete", "iris");
        assertEquals(ExitCodes.OK, yes.code(), yes.toString());
        assertTrue(yes.out().contains("model iris"), yes.out());

        asked.clear();
        assertEquals(ExitCodes.OK, mmctl("n", "delete", "iris", "--yes").code(), "--yes does not ask");
        assertEquals(List.of(), asked);
    }

    @Test
    void servingVersionsAreAConflictAndMissingOnesNotFoundUnlessIgnored() {
        cp.on("DELETE", "/models/iris/versions/1.0.0", 409, "{\"status\":409,\"error\":\"conflict\",\"message\":"
                + "\"version 1.0.0 (stable, 100%) of model 'iris' serves traffic\"}");
        Result conflict = mmctl(null, "delete", "iris", "--version", "1.0.0", "--yes");
        assertEquals(ExitCodes.CONFLICT, conflict.code(), conflict.toString());
        assertTrue(conflict.err().contains("serves traffic"), conflict.err());

        Result missing = mmctl(null, "delete", "ghost", "-y");
        assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing.toString());
        Result ignored = mmctl(null, "delete", "ghost", "--ignore-not-found", "--yes");
        assertEquals(ExitCodes.OK, ignored.code(), ignored.toString());
        assertTrue(ignored.err().contains("nothing to delete"), ignored.err());
    }

    @Test
    void undeployTakesTheModelOffAndPrintsTheRevision() throws Exception {
        cp.on("DELETE", "/deployments/iris", 200, json(Samples.deployment("1.0.0", 1, 1)));
        Result r = mmctl(null, "undeploy", "iris");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertEquals("DELETE", cp.last("DELETE", "/deployments/iris").method());
    }

    /** Removal is idempotent: undeploying a model that serves nothing already says so and exits 0 (issue 15). */
    @Test
    void undeployOfAModelServingNothingIsNothingToDo() throws Exception {
        cp.on("DELETE", "/deployments/iris", 409, "{\"status\":409,\"error\":\"conflict\",\"message\":"
                + "\"model 'iris' serves no traffic already\"}");
        cp.on("GET", "/deployments/iris", 200, json(new DeploymentStatus(4, "iris",
                new ModelRoute("iris", List.of(), null), Samples.T, "admin", "undeploy", 1, 1, List.of())));
        Result r = mmctl(null, "undeploy", "iris");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.err().contains("nothing to undeploy: model 'iris' serves no traffic"), r.err());
    }

    @Test
    void undeployOfAnUnknownModelIsNotFoundUnlessIgnored() {
        cp.on("DELETE", "/deployments/ghost", 404, "{\"status\":404,\"error\":\"not_found\",\"message\":"
                + "\"model 'ghost' is not registered\"}");
        cp.on("GET", "/deployments/ghost", 404, "{\"status\":404,\"error\":\"not_found\",\"message\":"
                + "\"model 'ghost' is not registered\"}");
        cp.on("GET", "/models/ghost", 404, "{\"status\":404,\"error\":\"not_found\",\"message\":"
                + "\"model 'ghost' is not registered\"}");
        assertEquals(ExitCodes.NOT_FOUND, mmctl(null, "undeploy", "ghost").code());
        Result ignored = mmctl(null, "undeploy", "ghost", "--ignore-not-found");
        assertEquals(ExitCodes.OK, ignored.code(), ignored.toString());
    }

    /** Before: exit 4 ("runs no shadow"); stopping what does not run is done already, like --ignore-not-found. */
    @Test
    void stoppingAShadowThatDoesNotRunIsNothingToDo() throws Exception {
        cp.on("DELETE", "/deployments/iris/shadow", 409, "{\"status\":409,\"error\":\"conflict\",\"message\":"
                + "\"model 'iris' runs no shadow (strategy full at revision 3); start one with mmctl shadow iris "
                + "--version X.Y.Z (POST /deployments/shadow)\"}");
        cp.on("GET", "/deployments/iris", 200, json(Samples.deployment("1.0.0", 1, 1)));
        Result r = mmctl(null, "shadow", "iris", "--stop");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.err().contains("nothing to stop: model 'iris' runs no shadow"), r.err());
    }
}
