package io.modelmesh.cli.commands;

import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.Json;
import io.modelmesh.api.RateLimit;
import io.modelmesh.api.TokenInfo;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mmctl token create|list|revoke} through the real SDK against a scripted control plane. */
class TokenCommandTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
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
        return Cli.run(ClientFactory.standard(), Map.of("MM_TOKEN", "mmt_admin"), all);
    }

    private static TokenInfo info(String name, List<String> scopes, Instant expires, RateLimit rate, Instant revoked) {
        return new TokenInfo(name, scopes, T, "admin", expires, null, revoked, rate);
    }

    @Test
    void createSendsTheRequestAndPrintsTheTokenOnce() throws Exception {
        cp.on("POST", "/tokens", 201, Json.mapper().writeValueAsString(new CreatedToken("mmt_secret", info("ci",
                List.of("deploy", "read"), T.plusSeconds(30L * 86400), new RateLimit(5, 10), null))));
        Result r = mmctl("token", "create", "ci", "--scope", "deploy,read", "--expires", "30d", "--rate", "5",
                "--burst", "10");
        assertEquals(0, r.code(), r.toString());
        assertEquals("{\"name\":\"ci\",\"scopes\":[\"deploy\",\"read\"],\"expires_in_seconds\":2592000,"
                + "\"rate_limit\":{\"per_second\":5.0,\"burst\":10}}", cp.last("POST", "/tokens").body());
        assertEquals("Bearer mmt_admin", cp.last("POST", "/tokens").header("Authorization"));
        assertTrue(r.out().contains("mmt_secret"), r.out());
        assertTrue(r.out().contains("5.0/s burst 10"), r.out());
        assertTrue(r.err().contains("not shown again"), r.err());

        Result json = mmctl("token", "create", "ci", "--scope", "read", "-o", "json");
        assertTrue(json.out().contains("\"token\": \"mmt_secret\""), json.out());
        assertFalse(json.err().contains("not shown again"), "nothing but data for scripts: " + json.err());
    }

    @Test
    void badOptionsNeverReachTheServer() {
        for (String[] args : new String[][] {
                {"token", "create", "ci"},
                {"token", "create", "ci", "--scope", "read", "--rate", "0"},
                {"token", "create", "ci", "--scope", "read", "--burst", "3"},
                {"token", "create", "ci", "--scope", "read", "--expires", "soon"},
                {"token"},
        }) {
            assertEquals(ExitCodes.INVALID_INPUT, mmctl(args).code(), String.join(" ", args));
        }
        assertTrue(cp.requests().isEmpty());
    }

    @Test
    void listShowsNoSecretAndRevokeIsIdempotentOnRequest() throws Exception {
        cp.on("GET", "/tokens", 200, Json.mapper().writeValueAsString(List.of(
                info("admin", List.of("admin"), null, null, null),
                info("old", List.of("read"), null, null, T))));
        Result list = mmctl("token", "list", "--all");
        assertEquals(0, list.code(), list.toString());
        assertEquals("all=true", cp.last("GET", "/tokens").query());
        assertTrue(list.out().contains("admin") && list.out().contains("revoked"), list.out());

        cp.on("DELETE", "/tokens/gone", 404, "{\"status\":404,\"error\":\"not_found\",\"message\":\"no active token "
                + "named 'gone'\"}");
        assertEquals(ExitCodes.NOT_FOUND, mmctl("token", "revoke", "gone").code());
        Result ignored = mmctl("token", "revoke", "gone", "--ignore-not-found");
        assertEquals(0, ignored.code(), ignored.toString());
        assertTrue(ignored.err().contains("no active token named 'gone'"), ignored.err());
    }
}
