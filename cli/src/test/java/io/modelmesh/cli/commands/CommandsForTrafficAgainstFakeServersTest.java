package io.modelmesh.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.Json;
import io.modelmesh.api.ManifestChange;
import io.modelmesh.api.ManifestFile;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The traffic-management commands (apply, diff, history, rollback, canary, promote, shadow, ab, chaos, status NAME)
 * through the real SDK against a scripted control plane: request method, path and body; output; exit code.
 */
class CommandsForTrafficAgainstFakeServersTest {
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
        return mmctlWith(Map.of(), args);
    }

    private Result mmctlWith(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--control-plane";
        all[args.length + 1] = cp.uri().toString();
        return Cli.run(ClientFactory.standard(), env, all);
    }

    private static String unreachable() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private static String json(Object o) throws Exception {
        return Json.mapper().writeValueAsString(o);
    }

    private static JsonNode tree(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    private static String error(int status, String code, String message) {
        return "{\"status\":" + status + ",\"error\":\"" + code + "\",\"message\":\"" + message + "\"}";
    }

    // ---- canary, promote, rollback, history ------------------------------------------------------------------------

    @Test
    void canaryWithStepsSendsThePolicyWithDurationsInSeconds() throws Exception {
        cp.on("POST", "/deployments/canary", 201, json(Samples.rollout("RUNNING", "started")));
        Result r = mmctl("canary", "iris", "--version", "1.1.0", "--steps", "5,25,50,100", "--step-interval", "2m",
                "--max-error-rate", "0.02", "--max-p99-ms", "250", "--min-requests", "20", "--window", "10s");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"steps\":[5,25,50,100],\"step_interval_seconds\":120,"
                + "\"max_error_rate\":0.02,\"max_p99_ms\":250.0,\"min_requests\":20,\"window_seconds\":10}",
                cp.last("POST", "/deployments/canary").body());
        assertTrue(r.out().contains("canary    1.1.0 at 25% (step 2 of 4: 5,25,50,100; 30s each)"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void canaryWithAPercentSendsOnlyWhatWasGiven() throws Exception {
        cp.on("POST", "/deployments/canary", 201, json(Samples.rollout("RUNNING", "started")));
        Result r = mmctl("canary", "iris", "--version", "1.1.0", "--percent", "10", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"percent\":10}",
                cp.last("POST", "/deployments/canary").body());
        assertEquals(7, tree(r.out()).at("/id").asLong());
    }

    @Test
    void canaryLimitsOnConsecutiveWindowsAreSent() throws Exception {
        cp.on("POST", "/deployments/canary", 201, json(Samples.rollout("RUNNING", "started")));
        Result r = mmctl("canary", "iris", "--version", "1.1.0", "--steps", "5,100", "--failure-limit", "2",
                "--inconclusive-limit", "0");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"steps\":[5,100],\"failure_limit\":2,"
                + "\"inconclusive_limit\":0}", cp.last("POST", "/deployments/canary").body());
    }

    @Test
    void severalControlPlanesAreTriedInTurnWhenOneCannotBeReached() throws Exception {
        cp.on("POST", "/deployments/canary", 201, json(Samples.rollout("RUNNING", "started")));
        Result r = Cli.run(ClientFactory.standard(), Map.of(), "canary", "iris", "--version", "1.1.0", "--percent",
                "10", "--control-plane", unreachable() + "," + cp.uri());
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"percent\":10}",
                cp.last("POST", "/deployments/canary").body());
        Result bad = Cli.run(ClientFactory.standard(), Map.of(), "list", "--control-plane", cp.uri() + ",ftp://x");
        assertEquals(ExitCodes.INVALID_INPUT, bad.code(), bad.toString());
    }

    @Test
    void canaryUsageErrorsSendNothing() {
        for (String[] args : new String[][] {
                {"canary", "iris", "--version", "1.1.0"},
                {"canary", "iris", "--version", "1.1.0", "--percent", "5", "--steps", "5,100"},
                {"canary", "iris", "--version", "1.1.0", "--percent", "5", "--step-interval", "30s"},
                {"canary", "iris", "--version", "1.1.0", "--steps", "5,100", "--step-interval", "30"},
                {"canary", "iris", "--version", "1.1.0", "--steps", "5,100", "--step-interval", "500ms"},
                {"canary", "iris", "--version", "1.1.0", "--percent", "5", "--window", "1h30m"},
        }) {
            Result r = mmctl(args);
            assertEquals(ExitCodes.INVALID_INPUT, r.code(), String.join(" ", args) + "\n" + r);
            assertTrue(r.err().startsWith("error: "), r.toString());
            assertEquals("", r.out());
        }
        assertTrue(cp.requests().isEmpty(), cp.requests().toString());
    }

    @Test
    void promoteAndItsAbsence() throws Exception {
        cp.on("POST", "/deployments/iris/promote", 200, json(Samples.rollout("PROMOTED", "promoted by alice")));
        Result r = mmctl("promote", "iris");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("state     PROMOTED"), r.out());
        cp.on("POST", "/deployments/iris/promote", 404, error(404, "not_found", "iris has no running canary"));
        Result none = mmctl("promote", "iris");
        assertEquals(ExitCodes.NOT_FOUND, none.code());
        assertEquals("error: iris has no running canary\n", none.err());
    }

    @Test
    void rolloutVerbsPostToTheirRoutesAndPrintTheRollout() throws Exception {
        RolloutStatus running = Samples.rollout("RUNNING", "healthy");
        RolloutStatus paused = new RolloutStatus(7, "iris", "1.0.0", "1.1.0", RolloutState.RUNNING, 25,
                List.of(5, 25, 50, 100), 1, 30, running.analysis(), "paused by bob at 25%", 12, "alice", Samples.T, Samples.T, null,
                Samples.T, "bob");
        cp.on("POST", "/rollouts/iris/pause", 200, json(paused));
        Result p = mmctl("rollout", "pause", "iris");
        assertEquals(0, p.code(), p.toString());
        assertTrue(p.out().contains("state     RUNNING (paused by bob at 2026-11-24T09:47:00Z)"), p.out());
        cp.on("POST", "/rollouts/iris/resume", 200, json(running));
        cp.on("POST", "/rollouts/iris/abort", 200, json(Samples.rollout("ABORTED", "aborted by bob")));
        cp.on("POST", "/rollouts/iris/retry", 201, json(running));
        for (String verb : List.of("resume", "abort", "retry")) {
            Result r = mmctl("rollout", verb, "iris");
            assertEquals(0, r.code(), verb + ": " + r);
            assertEquals("", cp.last("POST", "/rollouts/iris/" + verb).body(), verb);
        }
        cp.on("POST", "/rollouts/iris/resume", 409, error(409, "conflict", "rollout 7 of model 'iris' is not paused"));
        Result notPaused = mmctl("rollout", "resume", "iris");
        assertEquals(ExitCodes.CONFLICT, notPaused.code());
        assertEquals("error: rollout 7 of model 'iris' is not paused\n", notPaused.err());
        Result none = mmctl("rollout", "abort", "nope");
        assertEquals(ExitCodes.NOT_FOUND, none.code());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("rollout").code(), "a verb is required");
        assertFalse(mmctl("rollout", "--help").err().contains("picocli WARN"));
    }

    @Test
    void rolloutStatusWaitsForTheEndAndExitsNonZeroWhenRolledBack() throws Exception {
        cp.on("GET", "/deployments/iris/canary", 200, json(Samples.rollout("PROMOTED", "healthy; promoted")));
        Result promoted = mmctl("rollout", "status", "iris");
        assertEquals(0, promoted.code(), promoted.toString());
        assertTrue(promoted.out().contains("state     PROMOTED"), promoted.out());

        cp.on("GET", "/deployments/iris/canary", 200, json(Samples.rollout("ROLLED_BACK", "error rate 60.0% > 5.0%")));
        Result back = mmctl("rollout", "status", "iris");
        assertEquals(ExitCodes.FAILURE, back.code(), back.toString());
        assertTrue(back.err().contains("error: rollout 7 of iris was ROLLED_BACK: error rate 60.0% > 5.0%"),
                back.err());

        cp.on("GET", "/deployments/iris/canary", 200, json(Samples.rollout("RUNNING", "healthy")));
        assertEquals(0, mmctl("rollout", "status", "iris", "--no-wait").code(), "--no-wait: as it is now");
        java.util.concurrent.CompletableFuture<Result> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> mmctl("rollout", "status", "iris", "--interval", "20ms"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> cp.requests().stream().filter(r -> r.path().equals("/deployments/iris/canary")).count()
                        >= 6);
        assertFalse(waiting.isDone(), "still waiting while the rollout runs");
        cp.on("GET", "/deployments/iris/canary", 200, json(Samples.rollout("ABORTED", "aborted by bob")));
        Result aborted = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(ExitCodes.FAILURE, aborted.code(), aborted.toString());
        assertTrue(aborted.err().contains("rollout 7 of iris: canary 1.1.0 at 25%: healthy"), aborted.err());
        assertTrue(aborted.err().contains("error: rollout 7 of iris was ABORTED: aborted by bob"), aborted.err());

        cp.on("GET", "/deployments/iris/canary", 200, json(Samples.rollout("RUNNING", "healthy")));
        Result late = mmctl("rollout", "status", "iris", "--timeout", "100ms", "--interval", "20ms");
        assertEquals(ExitCodes.FAILURE, late.code());
        assertTrue(late.err().contains("is still RUNNING after 100ms"), late.err());
        cp.on("GET", "/deployments/nope/canary", 404, error(404, "not_found", "model 'nope' has never had a canary"));
        assertEquals(ExitCodes.NOT_FOUND, mmctl("rollout", "status", "nope").code());
    }

    @Test
    void rollbackToARevisionOrTheDefault() throws Exception {
        cp.on("POST", "/deployments/iris/rollback", 200, json(Samples.deployment("1.0.0", 2, 2)));
        Result r = mmctl("rollback", "iris", "--to", "3");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"to_revision\":3}", cp.last("POST", "/deployments/iris/rollback").body());
        assertTrue(r.out().contains("targets   1.0.0 100% stable"), r.out());
        assertEquals(0, mmctl("rollback", "iris").code());
        assertEquals("{}", cp.last("POST", "/deployments/iris/rollback").body());
        cp.on("POST", "/deployments/iris/rollback", 409, error(409, "conflict", "iris has no earlier revision"));
        assertEquals(ExitCodes.CONFLICT, mmctl("rollback", "iris").code());
    }

    @Test
    void historyListsRevisions() throws Exception {
        cp.on("GET", "/deployments/iris/history", 200, json(List.of(Samples.deployment("1.0.0", 2, 2))));
        Result r = mmctl("history", "iris");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("REVISION  TIME                  AUTHOR  STRATEGY  CHANGE"), r.out());
        assertTrue(r.out().contains("3         2026-11-24T09:47:00Z  alice   -         deploy 1.0.0 at 100%  1.0.0 100%"),
                r.out());
        cp.on("GET", "/deployments/iris/history", 200, "[]");
        Result none = mmctl("history", "iris");
        assertEquals("", none.out());
        assertTrue(none.err().contains("never been deployed"), none.err());
    }

    // ---- shadow, ab -------------------------------------------------------------------------------------------------

    @Test
    void shadowStartsStopsAndReports() throws Exception {
        cp.on("POST", "/deployments/shadow", 201, json(Samples.deployment("1.0.0", 2, 2)));
        Result start = mmctl("shadow", "iris", "--version", "1.1.0", "--percent", "50");
        assertEquals(0, start.code(), start.toString());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"percent\":50}",
                cp.last("POST", "/deployments/shadow").body());

        cp.on("DELETE", "/deployments/iris/shadow", 200, json(Samples.deployment("1.0.0", 2, 2)));
        assertEquals(0, mmctl("shadow", "iris", "--stop").code());
        cp.last("DELETE", "/deployments/iris/shadow");

        cp.on("GET", "/monitoring/shadow/iris", 200, json(Samples.shadowReport()));
        Result status = mmctl("shadow", "status", "iris", "--samples", "3");
        assertEquals(0, status.code(), status.toString());
        assertEquals("samples=3", cp.last("GET", "/monitoring/shadow/iris").query());
        assertTrue(status.out().contains("label agreement  98.5%"), status.out());
        assertTrue(status.out().contains("req-9    differ"), status.out());

        Result json = mmctl("shadow", "status", "iris", "-o", "json");
        assertEquals("samples=10", cp.last("GET", "/monitoring/shadow/iris").query(), "default sample count");
        assertEquals(0.985, tree(json.out()).at("/label_agreement_rate").asDouble());
    }

    @Test
    void shadowUsageErrors() {
        for (String[] args : new String[][] {
                {"shadow", "iris"},
                {"shadow", "--version", "1.1.0"},
                {"shadow", "iris", "--stop", "--version", "1.1.0"},
                {"shadow", "iris", "--version", "1.1.0", "--percent", "0"},
                {"shadow", "status"},
                {"shadow", "status", "iris", "--samples", "-1"},
        }) {
            Result r = mmctl(args);
            assertEquals(ExitCodes.INVALID_INPUT, r.code(), String.join(" ", args) + "\n" + r);
        }
        assertTrue(cp.requests().isEmpty(), cp.requests().toString());
    }

    @Test
    void shadowStatusOfAModelWithoutShadowExitsThree() {
        cp.on("GET", "/monitoring/shadow/iris", 404, error(404, "not_found", "iris has never had a shadow"));
        Result r = mmctl("shadow", "status", "iris");
        assertEquals(ExitCodes.NOT_FOUND, r.code(), r.toString());
    }

    @Test
    void abSendsTheArmsAndChecksTheyAddUp() throws Exception {
        cp.on("POST", "/deployments/ab", 201, json(Samples.deployment("1.0.0", 2, 2)));
        Result r = mmctl("ab", "iris", "--arm", "1.0.0=50", "--arm", "1.1.0=50", "--sticky-key", "X-Customer");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"model\":\"iris\",\"arms\":[{\"version\":\"1.0.0\",\"weight\":50},{\"version\":\"1.1.0\","
                + "\"weight\":50}],\"sticky_key\":\"X-Customer\"}", cp.last("POST", "/deployments/ab").body());
        int before = cp.requests().size();
        for (String[] args : new String[][] {
                {"ab", "iris", "--arm", "1.0.0=50", "--arm", "1.1.0=40"},
                {"ab", "iris", "--arm", "1.0.0=100"},
                {"ab", "iris", "--arm", "1.0.0", "--arm", "1.1.0=50"},
                {"ab", "iris", "--arm", "1.0.0=x", "--arm", "1.1.0=50"},
        }) {
            Result bad = mmctl(args);
            assertEquals(ExitCodes.INVALID_INPUT, bad.code(), String.join(" ", args) + "\n" + bad);
        }
        assertEquals(before, cp.requests().size());
    }

    // ---- chaos --------------------------------------------------------------------------------------------------------

    @Test
    void everyCommandTakesTheTokenFromTheFileOptionThenTheEnvironmentThenTheHomeFile(@TempDir Path home)
            throws Exception {
        cp.on("POST", "/deployments/chaos", 200, json(Samples.deployment("1.1.0", 2, 2)));
        cp.on("GET", "/deployments/iris/history", 200, "[]");
        Files.writeString(home.resolve("admin-token"), "from-file\n");
        Path option = home.resolve("ci-token");
        Files.writeString(option, "from-option\n");
        Map<String, String> both = Map.of("MM_HOME", home.toString(), "MM_TOKEN", "from-env");
        String[] args = {"chaos", "iris", "--version", "1.1.0", "--error-rate", "0.5", "--latency-ms", "100", "--for",
                "30s"};

        Result r = mmctlWith(both, concat(args, "--token-file", option.toString()));
        assertEquals(0, r.code(), r.toString());
        assertEquals("Bearer from-option", cp.last("POST", "/deployments/chaos").header("Authorization"));
        assertEquals(0, mmctlWith(both, "history", "iris", "--token-file", option.toString()).code());
        assertEquals("Bearer from-option", cp.last("GET", "/deployments/iris/history").header("Authorization"));
        assertEquals(ExitCodes.INVALID_INPUT, mmctlWith(both, concat(args, "--token", "on-the-command-line")).code(),
                "no flag takes a token itself: command lines are visible to everyone on the machine");
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"error_rate\":0.5,\"latency_ms\":100,"
                + "\"duration_seconds\":30}", cp.last("POST", "/deployments/chaos").body());

        assertEquals(0, mmctlWith(both, args).code());
        assertEquals("Bearer from-env", cp.last("POST", "/deployments/chaos").header("Authorization"));

        assertEquals(0, mmctlWith(Map.of("MM_HOME", home.toString()), args).code());
        assertEquals("Bearer from-file", cp.last("POST", "/deployments/chaos").header("Authorization"));
    }

    @Test
    void withoutATokenNoneIsSentAndA401IsNotAllowed(@TempDir Path home) {
        cp.on("POST", "/deployments/chaos", 401, error(401, "unauthorized", "this endpoint needs a token with scope "
                + "'admin'"));
        Result r = mmctlWith(Map.of("MM_HOME", home.toString()), "chaos", "iris", "--version", "1.1.0",
                "--error-rate", "1");
        assertEquals(ExitCodes.NOT_ALLOWED, r.code(), r.toString());
        assertNull(cp.last("POST", "/deployments/chaos").header("Authorization"));
        Result missingFile = mmctlWith(Map.of("MM_HOME", home.toString()), "chaos", "iris", "--version", "1.1.0",
                "--error-rate", "1", "--token-file", home.resolve("nope").toString());
        assertEquals(ExitCodes.INVALID_INPUT, missingFile.code(), missingFile.toString());
        assertTrue(missingFile.err().contains("cannot read the token file"), missingFile.err());
    }

    @Test
    void chaosClearAndRefusal() throws Exception {
        cp.on("POST", "/deployments/chaos", 200, json(Samples.deployment("1.1.0", 2, 2)));
        Map<String, String> env = Map.of("MM_TOKEN", "t");
        assertEquals(0, mmctlWith(env, "chaos", "iris", "--version", "1.1.0", "--clear").code());
        assertEquals("{\"model\":\"iris\",\"version\":\"1.1.0\",\"clear\":true}",
                cp.last("POST", "/deployments/chaos").body());
        for (String[] args : new String[][] {
                {"chaos", "iris", "--version", "1.1.0"},
                {"chaos", "iris", "--version", "1.1.0", "--clear", "--error-rate", "0.1"},
                {"chaos", "iris", "--version", "1.1.0", "--error-rate", "1.5"},
                {"chaos", "iris", "--version", "1.1.0", "--error-rate", "0.1", "--for", "soon"},
        }) {
            assertEquals(ExitCodes.INVALID_INPUT, mmctlWith(env, args).code(), String.join(" ", args));
        }
        cp.on("POST", "/deployments/chaos", 403, error(403, "forbidden", "token 'ci' has scope [deploy]; this "
                + "endpoint needs 'admin'"));
        Result r = mmctlWith(env, "chaos", "iris", "--version", "1.1.0", "--error-rate", "0.1");
        assertEquals(ExitCodes.NOT_ALLOWED, r.code());
        assertEquals("error: token 'ci' has scope [deploy]; this endpoint needs 'admin'\n", r.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    // ---- apply, diff ----------------------------------------------------------------------------------------------------

    private static ApplyResult result(boolean dryRun, String action) {
        return new ApplyResult(dryRun, List.of(new ManifestChange("iris.yaml", "iris", action, 11L,
                dryRun || action.equals("unchanged") ? null : 12L,
                action.equals("unchanged") ? List.of() : List.of("spec.stable: 1.0.0 -> 1.1.0"), 2, 2, List.of())));
    }

    @Test
    void applySendsEveryYamlOfADirectorySortedAndPrintsWhatChanged(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.yml"), "kind: ModelDeployment\n---\nkind: ModelDeployment\n");
        Files.writeString(dir.resolve("a.yaml"), "kind: ModelDeployment\n");
        Files.writeString(dir.resolve("notes.txt"), "not a manifest");
        Path extra = Files.writeString(dir.resolve("extra.json"), "{}");
        cp.on("POST", "/manifests/apply", 200, json(result(false, "configured")));
        Result r = mmctl("apply", "-f", dir.toString(), "-f", extra.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode body = tree(cp.last("POST", "/manifests/apply").body());
        assertFalse(body.at("/dry_run").asBoolean());
        assertEquals(dir.resolve("a.yaml").toString(), body.at("/files/0/name").asText());
        assertEquals(dir.resolve("b.yml").toString(), body.at("/files/1/name").asText());
        assertEquals("kind: ModelDeployment\n---\nkind: ModelDeployment\n", body.at("/files/1/content").asText(),
                "multi-document files go whole, so line numbers point into them");
        assertEquals(extra.toString(), body.at("/files/2/name").asText());
        assertEquals(3, body.at("/files").size());
        assertEquals("iris: configured (revision 12, 2/2 nodes)\n  spec.stable: 1.0.0 -> 1.1.0\n", r.out());
    }

    @Test
    void invalidManifestsPrintFileLineColumnOnStderrOnly(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("iris.yaml"), "kind: ModelDeployment\n");
        cp.on("POST", "/manifests/apply", 400, "{\"status\":400,\"error\":\"invalid_manifest\",\"message\":\"2 "
                + "problems\",\"details\":[{\"file\":\"iris.yaml\",\"line\":7,\"column\":12,\"field\":"
                + "\"spec.canary.steps[2]\",\"message\":\"steps must increase\"},{\"file\":\"iris.yaml\",\"line\":2,"
                + "\"column\":1,\"field\":\"metadata.name\",\"message\":\"missing\"}]}");
        for (String cmd : new String[] {"apply", "diff"}) {
            Result r = mmctl(cmd, "-f", f.toString());
            assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
            assertEquals("iris.yaml:7:12: spec.canary.steps[2]: steps must increase\n"
                    + "iris.yaml:2:1: metadata.name: missing\n", r.err());
            assertEquals("", r.out());
        }
        cp.on("POST", "/manifests/apply", 400, error(400, "invalid_input", "no manifests"));
        Result plain = mmctl("apply", "-f", f.toString());
        assertEquals(ExitCodes.INVALID_INPUT, plain.code());
        assertEquals("error: no manifests\n", plain.err());
    }

    @Test
    void applyOfAMissingFileOrEmptyDirectoryIsInvalidInput(@TempDir Path dir) {
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("apply", "-f", dir.resolve("nope.yaml").toString()).code());
        Result empty = mmctl("apply", "-f", dir.toString());
        assertEquals(ExitCodes.INVALID_INPUT, empty.code());
        assertTrue(empty.err().contains("no *.yaml or *.yml file in"), empty.err());
        assertEquals(ExitCodes.INVALID_INPUT, mmctl("apply").code(), "-f is required");
        assertTrue(cp.requests().isEmpty());
    }

    @Test
    void diffExitsZeroWhenNothingWouldChangeAndOneWhenSomethingWould(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("iris.yaml"), "kind: ModelDeployment\n");
        cp.on("POST", "/manifests/apply", 200, json(result(true, "unchanged")));
        Result same = mmctl("diff", "-f", f.toString());
        assertEquals(0, same.code(), same.toString());
        assertTrue(tree(cp.last("POST", "/manifests/apply").body()).at("/dry_run").asBoolean());
        assertEquals("iris: no changes\n", same.out());

        cp.on("POST", "/manifests/apply", 200, json(result(true, "configured")));
        Result changed = mmctl("diff", "-f", f.toString());
        assertEquals(1, changed.code(), changed.toString());
        assertEquals("iris: would be configured (now revision 11)\n  spec.stable: 1.0.0 -> 1.1.0\n", changed.out());
        assertEquals(1, mmctl("diff", "-f", f.toString(), "-o", "json").code(), "the same exit code in json mode");

        cp.on("POST", "/manifests/apply", 503, error(503, "unavailable", "database down"));
        assertEquals(ExitCodes.UNAVAILABLE, mmctl("diff", "-f", f.toString()).code());
    }

    @Test
    void stdinIsOneManifestFile() {
        List<ManifestFile> files = ManifestSources.read(List.of("-"),
                () -> new ByteArrayInputStream("kind: ModelDeployment\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(new ManifestFile("<stdin>", "kind: ModelDeployment\n")), files);
    }

    // ---- status NAME ----------------------------------------------------------------------------------------------------

    @Test
    void statusOfAModelAddsRolloutTrafficAndNodes() throws Exception {
        cp.on("GET", "/models/iris", 200, json(Samples.summary("1.0.0")));
        cp.on("GET", "/deployments/iris", 200, json(Samples.deployment("1.0.0", 2, 2)));
        cp.on("GET", "/nodes", 200, json(List.of(Samples.node("node-8000", 8000, 3, "LIVE"))));
        cp.on("GET", "/deployments/iris/canary", 200, json(Samples.rollout("ROLLED_BACK", "error rate 50% > 2%")));
        cp.on("GET", "/monitoring/traffic/iris", 200, json(Samples.traffic()));
        Result r = mmctl("status", "iris");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("rollout reason  error rate 50% > 2%"), r.out());
        assertTrue(r.out().contains("1.1.0    canary  25%     500       10      2%"), r.out());
        assertTrue(r.out().contains("node-8000  LIVE   3         yes"), r.out());

        JsonNode json = tree(mmctl("status", "iris", "-o", "json").out());
        assertEquals("ROLLED_BACK", json.at("/rollout/state").asText());
        assertEquals(500, json.at("/traffic/versions/1/requests").asLong());
        assertEquals(3, json.at("/nodes/0/serving_revision").asLong());
    }

    @Test
    void statusOfAModelWithoutRolloutOrTrafficEndpointsStillWorks() throws Exception {
        cp.on("GET", "/models/iris", 200, json(Samples.summary("1.0.0")));
        cp.on("GET", "/deployments/iris", 200, json(Samples.deployment("1.0.0", 2, 2)));
        cp.on("GET", "/monitoring/traffic/iris", 405, "");
        Result r = mmctl("status", "iris", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode json = tree(r.out());
        assertTrue(json.at("/rollout").isMissingNode(), r.out());
        assertTrue(json.at("/traffic").isMissingNode(), r.out());
    }
}
