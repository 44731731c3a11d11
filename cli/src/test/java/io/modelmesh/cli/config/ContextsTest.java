package io.modelmesh.cli.config;

import io.modelmesh.api.Json;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Page;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FakeServer;
import io.modelmesh.cli.commands.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contexts like kubectl's: which control plane and token file each command uses (issue 13, item 5). */
class ContextsTest {
    @TempDir
    Path dir;
    private FakeServer a;
    private FakeServer b;
    private Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        a = new FakeServer();
        b = new FakeServer();
        String page = Json.mapper().writeValueAsString(new Page<ModelSummary>(List.of(Samples.summary("1.0.0")), 0,
                1, 1));
        a.on("GET", "/models", 200, page);
        b.on("GET", "/models", 200, page);
        Files.writeString(dir.resolve("a-token"), "token-of-a\n");
        Files.writeString(dir.resolve("b-token"), "token-of-b\n");
        env = new HashMap<>(Map.of("MMCTL_CONFIG", dir.resolve("mmctl/config.yaml").toString()));
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    private Cli.Result mmctl(String... args) {
        return Cli.run(ClientFactory.standard(), env, args);
    }

    private static String bearer(FakeServer s) {
        return s.last("GET", "/models").header("Authorization");
    }

    @Test
    void setUseGetAndCurrentContextDriveWhichControlPlaneAndTokenAreUsed() throws Exception {
        Cli.Result added = mmctl("config", "set-context", "local", "--control-plane", a.uri().toString(),
                "--token-file", dir.resolve("a-token").toString());
        assertEquals(0, added.code(), added.toString());
        assertTrue(added.err().contains("context 'local' added and made current"), added.err());
        assertEquals(0, mmctl("config", "set-context", "prod", "--control-plane", b.uri().toString(),
                "--token-file", dir.resolve("b-token").toString()).code());
        Path file = dir.resolve("mmctl/config.yaml");
        String yaml = Files.readString(file);
        assertTrue(yaml.contains("current-context: local") && yaml.contains("token-file: "), yaml);
        assertFalse(yaml.contains("token-of-"), "the file holds token files, never tokens:\n" + yaml);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        assertEquals("local\n", mmctl("config", "current-context").out());
        Cli.Result listed = mmctl("config", "get-contexts");
        assertTrue(listed.out().startsWith("CURRENT  NAME "), listed.out());
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("*        local ")), listed.out());
        Cli.Result json = mmctl("config", "get-contexts", "-o", "json");
        assertTrue(json.out().contains("\"current\": true"), json.toString());

        assertEquals(0, mmctl("list").code());
        assertEquals("Bearer token-of-a", bearer(a));

        assertEquals(0, mmctl("list", "--context", "prod").code(), "--context picks another for one command");
        assertEquals("Bearer token-of-b", bearer(b));

        assertEquals(0, mmctl("config", "use-context", "prod").code());
        assertEquals("prod\n", mmctl("config", "current-context").out());
        int before = a.requests().size();
        assertEquals(0, mmctl("list").code());
        assertEquals(before, a.requests().size(), "the current context is prod now");
    }

    @Test
    void optionsBeatContextNamedWithContextBeatsEnvironmentBeatsCurrentContext() {
        mmctl("config", "set-context", "local", "--control-plane", a.uri().toString());
        mmctl("config", "set-context", "prod", "--control-plane", b.uri().toString());
        env.put("MM_CONTROL_PLANE", b.uri().toString());
        assertEquals(0, mmctl("list").code());
        assertEquals(1, b.requests().size(), "MM_CONTROL_PLANE beats the current context (local)");
        assertEquals(0, mmctl("list", "--context", "local").code());
        assertEquals(1, a.requests().size(), "--context beats MM_CONTROL_PLANE");
        assertEquals(0, mmctl("list", "--context", "local", "--control-plane", b.uri().toString()).code());
        assertEquals(2, b.requests().size(), "the option beats --context");
    }

    @Test
    void unknownContextsAndTokensOnTheCommandLineAreRefused() {
        Cli.Result unknown = mmctl("list", "--context", "nope");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("no context 'nope'"), unknown.err());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("config", "set-context", "x", "--control-plane",
                a.uri().toString(), "--token", "secret").code(), "there is no option that takes a token");
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("config", "set-context", "x").code(),
                "a new context needs a control plane");
        Cli.Result none = mmctl("config", "current-context");
        assertEquals(ExitCodes.NOT_FOUND, none.code(), none.toString());
        assertTrue(none.err().contains("mmctl config use-context NAME"), none.err());
        assertEquals(0, mmctl("config", "delete-context", "x").code(), "deleting what is not there is done");
    }
}
