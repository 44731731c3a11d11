package io.modelmesh.cli.commands;

import io.modelmesh.api.Json;
import io.modelmesh.api.Page;
import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.FakeServer;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.shell.ModelNames;
import io.modelmesh.cli.shell.ShellCompleter;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.RetryPolicy;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mmctl shell}'s line loop on jline's dumb terminal over pipes, against a scripted control plane on a real
 * socket; the same session in a real terminal is bench/shell-tmux.sh.
 */
class ShellCommandTest {
    @TempDir
    Path config;
    private FakeServer cp;

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
        cp.on("GET", "/models", 200, Json.mapper().writeValueAsString(
                new Page<>(List.of(Samples.summary("1.0.0")), 0, 500, 1)));
        cp.on("GET", "/models/iris/versions", 200, Json.mapper().writeValueAsString(
                List.of(Samples.version("1.0.0", null), Samples.version("1.1.0", "1.0.0"))));
        cp.on("GET", "/models/nope/versions", 404,
                "{\"status\": 404, \"error\": \"not_found\", \"message\": \"no model named 'nope'\"}");
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    private ShellCommand shell(URI controlPlane) {
        return shell(controlPlane, ClientFactory.standard());
    }

    private ShellCommand shell(URI controlPlane, ClientFactory clients) {
        CommandLine cl = MmCtl.commandLine(clients, CliEnvironment.of(Map.of(
                "XDG_CONFIG_HOME", config.toString(), "MM_HOME", "/nonexistent/mmctl-test-home")));
        cl.parseArgs("shell", "--control-plane", controlPlane.toString());
        return cl.getSubcommands().get("shell").getCommand();
    }

    private String session(String input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DumbTerminal terminal = new DumbTerminal(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out)) {
            shell(cp.uri()).session().run(terminal);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Each line's command makes an SDK client (a selector thread); the shell closes it when the command is done. */
    @Test
    void theClientOfEachLineIsClosedWhenItsCommandEnds() throws Exception {
        List<ModelMeshClient> made = new ArrayList<>();
        ClientFactory recording = (controlPlanes, dataPlanes, token, tlsCa) -> {
            ModelMeshClient c = ClientFactory.standard(RetryPolicy.none()).create(controlPlanes, dataPlanes, token,
                    tlsCa);
            made.add(c);
            return c;
        };
        cp.on("GET", "/health", 200, "{\"status\":\"UP\"}");
        try (DumbTerminal terminal = new DumbTerminal(new ByteArrayInputStream("list\nlist\nexit\n"
                .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream())) {
            shell(cp.uri(), recording).session().run(terminal);
        }
        // one per command, closed with it; plus the completion's, kept for Tab until mmctl exits (main closes it)
        assertEquals(3, made.size());
        long open = made.stream().filter(c -> {
            try {
                c.health();
                return true;
            } catch (ModelMeshException.UnavailableException closed) {
                return false;
            }
        }).count();
        assertEquals(1, open, "only the completion's client is still open");
    }

    @Test
    void eachLineRunsLikeTheCommandAndTheSessionGoesOnAfterAFailure() throws Exception {
        String out = session("list\nversions nope\nhelp deploy\nexit\nlist -o json\n");
        assertTrue(out.contains("NAME  FRAMEWORK  LATEST  LIVE   VERSIONS  CREATED"), out);
        assertTrue(out.contains("iris"), out);
        assertTrue(out.contains("error: no model named 'nope'"), out);
        assertTrue(out.contains("exit 3 (NOT_FOUND)"), out);
        assertTrue(out.contains("Usage: mmctl deploy"), "help deploy shows deploy's help:\n" + out);
        assertFalse(out.contains("\"items\""), "nothing after exit runs:\n" + out);
        assertEquals(List.of("/models/nope/versions?null", "/models?page=0&size=50", "/models?page=0&size=500"),
                cp.requests().stream().map(r -> r.path() + "?" + r.query()).sorted().toList(),
                "the model names for Tab, then list and versions: the shell's --control-plane is the default of every "
                        + "command: " + cp.requests());
        assertFalse(out.contains("\u001B["), "a dumb terminal, not a tty: no colours");
    }

    @Test
    void historyIsKeptPrivatelyUnderTheConfigDirectory() throws Exception {
        session("list\nversions iris\n");   // end of input (Ctrl-D) ends the session too
        Path history = config.resolve("mmctl/history");
        String kept = Files.readString(history);
        assertTrue(kept.contains("list") && kept.contains("versions iris"), kept);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
        String again = session("exit\n");
        assertTrue(again.contains("mmctl shell:"), again);
        assertTrue(Files.readString(history).contains("versions iris"), "earlier sessions' lines stay");
    }

    @Test
    void optionsOfOneLineDoNotCarryOverToTheNext() throws Exception {
        String out = session("list -o json\nlist\n");
        int json = out.indexOf("\"items\"");
        int table = out.indexOf("NAME  FRAMEWORK");
        assertTrue(json >= 0 && table > json, "json first, then a table again:\n" + out);
    }

    @Test
    void quotedWordsStayOneArgument() throws Exception {
        String out = session("versions 'no pe'\n");
        assertTrue(cp.requests().stream().anyMatch(r -> r.path().equals("/models/no pe/versions")), cp.requests()
                + "\n" + out);
    }

    @Test
    void tabCompletesCommandsOptionsModelsAndVersions() {
        CommandLine cl = MmCtl.commandLine(ClientFactory.standard(), CliEnvironment.of(Map.of()));
        // a timeout that a loaded machine's first request (class loading) cannot miss; ModelNamesTest covers timeouts
        ShellCompleter c = new ShellCompleter(cl.getCommandSpec(), new ModelNames(ShellCommand.sdkSource(
                () -> ClientFactory.standard().create(List.of(cp.uri()), List.of(), null, null)),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10), System::nanoTime, r -> Thread.ofVirtual().start(r)));
        assertEquals(List.of("deploy"), c.complete(List.of("dep"), 0, "dep"));
        assertEquals(List.of("delete", "deploy", "diff", "down", "drift"), c.complete(List.of("d"), 0, "d"));
        assertFalse(c.complete(List.of(""), 0, "").contains("shell"), "no shell in the shell");
        assertEquals(List.of("iris"), c.complete(List.of("deploy", ""), 1, ""));
        assertEquals(List.of("iris"), c.complete(List.of("status", "i"), 1, "i"));
        assertEquals(List.of("1.0.0", "1.1.0"), c.complete(List.of("deploy", "iris", "--version", ""), 3, ""));
        assertEquals(List.of("1.1.0"), c.complete(List.of("canary", "iris", "--version", "1.1"), 3, "1.1"));
        List<String> options = c.complete(List.of("deploy", "iris", "--m"), 2, "--m");
        assertTrue(options.containsAll(List.of("--max-batch-size", "--max-concurrency", "--max-latency-ms")),
                options.toString());
        assertEquals(List.of("json", "name", "table", "wide", "yaml"),
                c.complete(List.of("list", "-o", ""), 2, ""));
        assertEquals(List.of(), c.complete(List.of("deploy", "iris", ""), 2, "").stream()
                .filter(w -> w.equals("iris")).toList(), "one model name per command");
        assertFalse(c.complete(List.of("token", "revoke", ""), 2, "").contains("iris"), "token names are not models");
        assertEquals(List.of(), c.complete(List.of("register", "iris", "--file", ""), 3, "").stream()
                .filter(w -> w.equals("iris")).toList(), "an option's value is not a model");
    }

    @Test
    void noModelNamesWhenTheControlPlaneIsUnreachable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CommandLine cl = MmCtl.commandLine(ClientFactory.standard(), CliEnvironment.of(Map.of()));
        ShellCompleter c = new ShellCompleter(cl.getCommandSpec(), ModelNames.of(ShellCommand.sdkSource(
                () -> ClientFactory.standard().create(List.of(URI.create("http://127.0.0.1:" + closed)), List.of(),
                        null, null))));
        assertEquals(List.of(), c.complete(List.of("deploy", ""), 1, ""));
        assertEquals(List.of("deploy"), c.complete(List.of("dep"), 0, "dep"), "commands still complete");
    }
}
