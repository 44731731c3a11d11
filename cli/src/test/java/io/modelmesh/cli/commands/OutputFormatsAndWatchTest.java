package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Page;
import io.modelmesh.cli.Cli;
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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -o wide|name} and {@code --watch} on status and history (issue 13, item 5). */
class OutputFormatsAndWatchTest {
    private FakeServer cp;

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
        cp.on("GET", "/models", 200, Json.mapper().writeValueAsString(new Page<ModelSummary>(
                List.of(Samples.summary("1.0.0")), 0, 1, 1)));
        cp.on("GET", "/models/iris", 200, Json.mapper().writeValueAsString(Samples.summary("1.0.0")));
        cp.on("GET", "/models/iris/versions", 200, Json.mapper().writeValueAsString(
                List.of(Samples.version("1.0.0", null), Samples.version("1.1.0", "1.0.0"))));
        DeploymentStatus d = Samples.deployment("1.0.0", 1, 2);
        cp.on("GET", "/deployments/iris/history", 200, Json.mapper().writeValueAsString(List.of(
                new DeploymentStatus(7, "iris", d.route(), Samples.T, "alice", "deploy 1.0.0", 1, 2,
                        List.of("node-b: timeout")))));
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

    @Test
    void nameListsTheNamesOneALineForShellLoops() {
        assertEquals("iris\n", mmctl("list", "-o", "name").out());
        assertEquals("1.0.0\n1.1.0\n", mmctl("versions", "iris", "-o", "name").out());
        Cli.Result history = mmctl("history", "iris", "-o", "name");
        assertEquals("7\n", history.out(), history.toString());
        assertEquals("", history.err(), "no hints for scripts");
    }

    @Test
    void wideShowsEveryColumn() {
        Cli.Result table = mmctl("history", "iris");
        assertFalse(table.out().contains("NODES"), table.out());
        Cli.Result wide = mmctl("history", "iris", "-o", "wide");
        assertTrue(wide.out().startsWith("REVISION") && wide.out().contains("NODES")
                && wide.out().contains("1/2") && wide.out().contains("node-b: timeout"), wide.out());
        Cli.Result versions = mmctl("versions", "iris", "-o", "wide");
        assertTrue(versions.out().contains(Samples.SHA) && versions.out().contains("{owner=ml}"), versions.out());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("list", "-o", "xml").code());
    }

    @Test
    void watchIntoAPipePrintsEachRefreshAfterTheLast() {
        Cli.Result r = mmctl("history", "iris", "--watch", "--count", "2", "--interval", "10ms");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, cp.requests().stream().filter(q -> q.path().equals("/deployments/iris/history")).count());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("REVISION")).count(), r.out());
        assertFalse(r.out().contains("\u001b"), "no escapes into a pipe");
        Cli.Result json = mmctl("history", "iris", "-w", "--count", "2", "--interval", "10ms", "-o", "json");
        assertEquals(2, json.out().lines().filter(l -> l.equals("[ {") || l.equals("[")).count(), json.out());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("history", "iris", "--count", "2").code(),
                "--count without --watch");
    }

    @Test
    void watchOnATerminalRedrawsInPlace() {
        CommandLine cl = MmCtl.commandLine(ClientFactory.standard(), new CliEnvironment(Map.of("MM_HOME",
                "/nonexistent/mmctl-test-home", "XDG_CONFIG_HOME", "/nonexistent/mmctl-test-config"), true));
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        int code = cl.execute("history", "iris", "--watch", "--count", "2", "--interval", "10ms",
                "--control-plane", cp.uri().toString());
        assertEquals(0, code);
        String clear = "\u001b[1;1H\u001b[2J";
        assertEquals(2, out.toString().split(java.util.regex.Pattern.quote(clear), -1).length - 1, out.toString());
        assertTrue(out.toString().contains("every 10ms, at ") && out.toString().contains("(Ctrl-C to stop)"));
    }
}
