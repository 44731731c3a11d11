package io.modelmesh.cli;

import io.modelmesh.cli.Cli.Result;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.RetryPolicy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a whole: parsing, exit codes, help, completion, error rendering. */
class MmCtlTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "list --bogus",
            "regster x",
            "register iris",                       // --file missing
            "register --file x.onnx",              // NAME missing
            "register iris --file x.onnx --framework tensorflow",
            "list -o xml",
            "canary iris --version 1.1.0",                         // neither --percent nor --steps
            "canary iris --version 1.1.0 --steps 5,100 --step-interval 30",
            "chaos iris --version 1.1.0 --error-rate 0.5 --for 1w",
            "ab iris --arm 1.0.0",
            "history",
            "rollback iris --to latest",
            "diff",
            "list --page notanumber",
            "list --size 0",
            "list --page -1",
            "deploy iris",                          // --version missing
            "predict iris",                         // neither --input nor -d
            "predict iris --input [1] -d [2]",      // both
            "status --control-plane localhost:8080",
            "status --control-plane ftp://host/",
            "up --nodes -1",
            "up --port 8001 --node-port 8000 --nodes 2",
    })
    void usageErrorsExitTwoWithAHint(String args) {
        Result r = Cli.run(args.split(" "));
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.toString());
        assertTrue(r.err().contains("--help"), r.toString());
        assertEquals("", r.out(), "nothing on stdout for errors");
    }

    @Test
    void noCommandShowsUsageOnStderrAndExitsTwo() {
        Result r = Cli.run();
        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("Usage: mmctl"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void typoSuggestsTheCommand() {
        Result r = Cli.run("regster");
        assertTrue(r.err().contains("mmctl register"), r.err());
    }

    @Test
    void helpListsCommandsExitCodesAndEnvironment() {
        Result r = Cli.run("--help");
        assertEquals(0, r.code());
        for (String s : new String[] {"register", "predict", "deploy", "up", "down", "status", "completion",
                "Exit Codes:", "3   not found", "4   conflict", "5   unavailable", "MM_CONTROL_PLANE", "NO_COLOR"}) {
            assertTrue(r.out().contains(s), "help lacks '" + s + "':\n" + r.out());
        }
        assertFalse(r.out().contains("\u001B["), "no ANSI codes without a terminal");
    }

    @Test
    void subcommandHelpWorks() {
        Result r = Cli.run("register", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--no-deploy"), r.out());
        assertTrue(r.out().contains("onnx, torchscript, sklearn, pmml"), r.out());
    }

    @Test
    void versionNamesTheBuild() {
        Result r = Cli.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("mmctl "), r.out());
    }

    @Test
    void completionPrintsABashScript() {
        Result r = Cli.run("completion");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("complete -F"), r.out());
        assertTrue(r.out().contains("register"), "subcommands are completed");
        assertTrue(r.out().contains("torchscript"), "framework values are completed");
        for (String c : new String[] {"apply", "diff", "history", "rollback", "canary", "promote", "shadow", "ab",
                "chaos"}) {
            assertTrue(r.out().contains("function _picocli_mmctl_" + c + "()"), "completion lacks " + c);
        }
        assertTrue(r.out().contains("function _picocli_mmctl_shadow_status()"), "nested shadow status is completed");
        assertTrue(r.out().contains("--step-interval"), "options of the new commands are completed");
    }

    @Test
    void helpListsTheTrafficCommandsAndDiffItsExitStatus() {
        Result r = Cli.run("--help");
        for (String c : new String[] {"apply", "diff", "history", "rollback", "canary", "promote", "shadow", "ab",
                "chaos", "MM_TOKEN"}) {
            assertTrue(r.out().contains(c), "help lacks " + c);
        }
        Result diff = Cli.run("diff", "--help");
        assertTrue(diff.out().contains("0     nothing would change"), diff.out());
        assertTrue(diff.out().contains("1     something would change"), diff.out());
        Result shadow = Cli.run("shadow", "--help");
        assertTrue(shadow.out().contains("status"), shadow.out());
    }

    @Test
    void anInvocationBuildsOnlyTheCommandItRunsAndHelpTheWholeTree() {
        var env = CliEnvironment.of(Map.of());
        var list = MmCtl.commandLine(ClientFactory.standard(), env, new String[] {"--verbose", "list", "-o", "json"});
        assertEquals(java.util.Set.of("list"), list.getSubcommands().values().stream()
                .map(CommandLine::getCommandName).collect(java.util.stream.Collectors.toSet()));
        for (String[] whole : new String[][] {{}, {"--help"}, {"-V", "list"}, {"regster"}, {"shell"},
                {"completion", "bash"}, {"--verbose"}}) {
            var cl = MmCtl.commandLine(ClientFactory.standard(), env, whole);
            assertEquals(MmCtl.COMMANDS.size(), new java.util.HashSet<>(cl.getSubcommands().values()).size(),
                    String.join(" ", whole));
        }
        // the help of one command is the same whether the tree around it was built or not
        Result alone = Cli.run("history", "--help");
        var full = MmCtl.commandLine(ClientFactory.standard(), env);
        assertEquals(full.getSubcommands().get("history").getUsageMessage(CommandLine.Help.Ansi.OFF), alone.out());
    }

    @Test
    void shadowParsesBothItsOwnFormAndItsStatusSubcommand() {
        var cl = MmCtl.commandLine(ClientFactory.standard(), CliEnvironment.of(Map.of()));
        var start = cl.parseArgs("shadow", "iris", "--version", "1.1.0", "--percent", "20");
        assertEquals("shadow", start.subcommand().commandSpec().name());
        assertEquals("iris", start.subcommand().matchedPositionalValue(0, null));
        assertFalse(start.subcommand().hasSubcommand());
        var status = MmCtl.commandLine(ClientFactory.standard(), CliEnvironment.of(Map.of()))
                .parseArgs("shadow", "status", "iris", "--samples", "5");
        assertEquals("status", status.subcommand().subcommand().commandSpec().name());
        assertEquals("iris", status.subcommand().subcommand().matchedPositionalValue(0, null));
        assertEquals(Integer.valueOf(5), status.subcommand().subcommand().matchedOptionValue("--samples", 0));
    }

    @Test
    void registerOfAMissingFileIsInvalidInput(@TempDir Path dir) {
        Path missing = dir.resolve("nope.onnx");
        Result r = Cli.run("register", "iris", "--file", missing.toString(), "--control-plane", unreachable());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertEquals("error: model file not found: " + missing.toAbsolutePath() + "\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void registerOfADirectoryIsInvalidInput(@TempDir Path dir) {
        Result r = Cli.run("register", "iris", "--file", dir.toString(), "--control-plane", unreachable());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("is a directory"), r.err());
    }

    @Test
    void registerRejectsANonSemanticVersionBeforeUploading(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("m.onnx"), "x");
        Result r = Cli.run("register", "iris", "--file", f.toString(), "--version", "v1", "--control-plane",
                unreachable());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("semantic version"), r.err());
    }

    @Test
    void predictWithInvalidJsonIsInvalidInput() {
        Result r = Cli.run("predict", "iris", "--input", "[5.1,3.5", "--control-plane", unreachable());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: input is not valid JSON"), r.err());
    }

    @Test
    void predictFromAMissingFileIsInvalidInput(@TempDir Path dir) {
        Result r = Cli.run("predict", "iris", "-d", "@" + dir.resolve("nope.json"), "--control-plane", unreachable());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("input file not found"), r.err());
    }

    @Test
    void unreachableControlPlaneIsUnavailableWithAHint() {
        Result r = Cli.run("list", "--control-plane", unreachable());
        assertEquals(ExitCodes.UNAVAILABLE, r.code(), r.toString());
        assertTrue(r.err().startsWith("error: cannot reach"), r.err());
        assertTrue(r.err().contains("mmctl up"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
        assertEquals("", r.out());
    }

    @Test
    void verboseAnywhereOnTheLinePrintsTheStackTrace() {
        Result r = Cli.run("list", "--verbose", "--control-plane", unreachable());
        assertEquals(ExitCodes.UNAVAILABLE, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void mmDebugPrintsTheStackTrace() {
        Result r = Cli.run(ClientFactory.standard(), Map.of("MM_DEBUG", "1"), "list", "--control-plane", unreachable());
        assertEquals(ExitCodes.UNAVAILABLE, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void unexpectedExceptionsAreFailuresThatPointAtVerbose() {
        ClientFactory broken = (cp, dp, token, ca) -> {
            throw new IllegalStateException("boom");
        };
        Result r = Cli.run(broken, Map.of(), "list");
        assertEquals(ExitCodes.FAILURE, r.code());
        assertTrue(r.err().startsWith("error: IllegalStateException: boom"), r.err());
        assertTrue(r.err().contains("--verbose"), r.err());
    }

    /** A loopback port nothing listens on: connection refused at once. */
    static String unreachable() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** main closes the clients a command opened: an open one's selector thread holds the JVM's exit 300 ms. */
    @Test
    void runClosesTheClientsTheCommandOpened(@TempDir Path home) throws IOException {
        try (FakeServer cp = new FakeServer()) {
            cp.on("GET", "/models", 200, "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}")
                    .on("GET", "/health", 200, "{\"status\":\"UP\"}");
            List<ModelMeshClient> made = new ArrayList<>();
            ClientFactory recording = (controlPlanes, dataPlanes, token, tlsCa) -> {
                ModelMeshClient c = ClientFactory.standard(RetryPolicy.none())
                        .create(controlPlanes, dataPlanes, token, tlsCa);
                made.add(c);
                return c;
            };
            CliEnvironment env = CliEnvironment.of(Map.of("MM_HOME", home.toString(),
                    "XDG_CONFIG_HOME", home.resolve("config").toString()));

            int exit = MmCtl.run(recording, env, new String[] {"list", "--control-plane", cp.uri().toString()});

            assertEquals(ExitCodes.OK, exit);
            assertEquals(1, made.size());
            int requests = cp.requests().size();
            assertThrows(ModelMeshException.UnavailableException.class, () -> made.getFirst().health());
            assertEquals(requests, cp.requests().size(), "the closed client still sent a request");
        }
    }
}
