package io.modelmesh.cli.commands;

import io.modelmesh.api.Json;
import io.modelmesh.api.ModelAlias;
import io.modelmesh.api.Stage;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mmctl alias}, {@code mmctl stage} and {@code --allow-schema-change} through the SDK against a fake server. */
class AliasAndStageCommandTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");
    private FakeServer cp;

    @BeforeEach
    void start() throws Exception {
        cp = new FakeServer();
    }

    @AfterEach
    void stop() {
        cp.close();
    }

    private Result mmctl(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--control-plane";
        all[args.length + 1] = cp.uri().toString();
        return Cli.run(ClientFactory.standard(), Map.of("MM_TOKEN", "mmt_deploy"), all);
    }

    private static String json(Object o) throws Exception {
        return Json.mapper().writeValueAsString(o);
    }

    @Test
    void aliasesAreSetListedAndDeletedIdempotently() throws Exception {
        ModelAlias champion = new ModelAlias("iris", "champion", "1.1.0", T, "ana");
        cp.on("PUT", "/models/iris/aliases/champion", 200, json(champion));
        Result set = mmctl("alias", "set", "iris", "@champion", "1.1.0");
        assertEquals(0, set.code(), set.toString());
        assertEquals("{\"version\":\"1.1.0\"}", cp.last("PUT", "/models/iris/aliases/champion").body());
        assertTrue(set.out().contains("@champion") && set.out().contains("1.1.0"), set.out());

        cp.on("GET", "/models/iris/aliases", 200, json(List.of(champion)));
        cp.on("GET", "/aliases", 200, json(List.of(champion, new ModelAlias("fraud", "prod", "2.0.0", T, "bo"))));
        assertTrue(mmctl("alias", "list", "iris").out().contains("@champion"));
        Result all = mmctl("alias", "ls");
        assertTrue(all.out().contains("fraud") && all.out().contains("@prod"), all.out());

        cp.on("DELETE", "/models/iris/aliases/champion", 200, json(champion));
        Result deleted = mmctl("alias", "delete", "iris", "champion");
        assertEquals(0, deleted.code(), deleted.toString());
        assertTrue(deleted.err().contains("alias @champion of iris deleted (it named 1.1.0)"), deleted.err());
        cp.on("DELETE", "/models/iris/aliases/champion", 204, "");
        Result again = mmctl("alias", "rm", "iris", "@champion");
        assertEquals(0, again.code(), "deleting what is gone succeeds: " + again);
        assertTrue(again.err().contains("does not exist; nothing to delete"), again.err());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("alias", "set", "iris", "champion").code(), "VERSION is required");
    }

    @Test
    void stagesAreSetByName() throws Exception {
        cp.on("PUT", "/models/iris/versions/1.1.0/stage", 200, json(Samples.version("1.1.0", "1.0.0")
                .withMetadata(Map.of())));
        Result r = mmctl("stage", "set", "iris", "1.1.0", "production");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"stage\":\"production\"}", cp.last("PUT", "/models/iris/versions/1.1.0/stage").body());
        Result bad = mmctl("stage", "set", "iris", "1.1.0", "live");
        assertEquals(ExitCodes.INVALID_INPUT, bad.code(), bad.toString());
        assertTrue(bad.err().contains("stages are staging, production and archived"), bad.err());
        assertEquals(1, cp.requests().size(), "a bad stage never reaches the server");
        assertEquals(Stage.STAGING, Samples.version("1.1.0", "1.0.0").stage());
    }

    @Test
    void previewSendsTheHeaderAndNeedsAVersion() throws Exception {
        try (FakeServer node = new FakeServer()) {
            node.on("POST", "/predict/iris", 200, json(Samples.prediction()));
            Result r = mmctl("predict", "iris", "--version", "@challenger", "--preview", "--input",
                    "[5.1,3.5,1.4,0.2]", "--data-plane", node.uri().toString());
            assertEquals(0, r.code(), r.toString());
            FakeServer.Request sent = node.last("POST", "/predict/iris");
            assertEquals("true", sent.header("X-ModelMesh-Preview"));
            assertEquals("version=@challenger", sent.query());
            Result plain = mmctl("predict", "iris", "--version", "1.0.0", "--input", "[5.1,3.5,1.4,0.2]",
                    "--data-plane", node.uri().toString());
            assertEquals(0, plain.code(), plain.toString());
            assertEquals(null, node.last("POST", "/predict/iris").header("X-ModelMesh-Preview"));
            Result noVersion = mmctl("predict", "iris", "--preview", "--input", "[1]", "--data-plane",
                    node.uri().toString());
            assertEquals(ExitCodes.INVALID_INPUT, noVersion.code(), noVersion.toString());
            assertTrue(noVersion.err().contains("--preview needs --version"), noVersion.err());
        }
    }

    @Test
    void allowSchemaChangeIsSentOnlyWhenAsked() throws Exception {
        cp.on("POST", "/deployments/canary", 201, json(Samples.rollout("RUNNING", "started")));
        assertEquals(0, mmctl("canary", "iris", "--version", "@challenger", "--percent", "10",
                "--allow-schema-change").code());
        String body = cp.last("POST", "/deployments/canary").body();
        assertTrue(body.contains("\"allow_schema_change\":true") && body.contains("\"version\":\"@challenger\""),
                body);
        assertEquals(0, mmctl("canary", "iris", "--version", "1.1.0", "--percent", "10").code());
        assertTrue(!cp.last("POST", "/deployments/canary").body().contains("allow_schema_change"));
    }
}
