package io.modelmesh.controlplane;

import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.RateLimit;
import io.modelmesh.api.Scope;
import io.modelmesh.api.TokenInfo;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scoped API tokens over real sockets and PostgreSQL: made, shown once, hashed, used, limited, expired, revoked. */
class TokenApiTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final MutableClock CLOCK = new MutableClock(T0);

    @TempDir
    static Path home;
    static ControlPlane cp;
    static ModelMeshClient admin;
    static Api api;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), CLOCK);
        admin = TestTokens.adminClient(cp);
        api = Api.admin(cp);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void theBootstrapTokensAreWrittenOwnerOnlyAndWork() throws Exception {
        for (String file : List.of("admin-token", "join-token")) {
            Path p = home.resolve(file);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), file);
            assertTrue(Files.readString(p).trim().matches("mmt_[A-Za-z0-9_-]{43}"), file);
        }
        List<String> names = admin.tokens(false).stream().map(TokenInfo::name).toList();
        assertTrue(names.containsAll(List.of("admin", "join")), names.toString());
    }

    @Test
    void aTokenIsShownOnceStoredAsAHashAndItsNameIsTheAuthor() {
        CreatedToken created = admin.createToken(new TokenRequest("ci-deploy", List.of("deploy"), null, null));
        assertTrue(created.token().startsWith("mmt_"));
        assertEquals(List.of("deploy"), created.info().scopes());
        assertEquals("admin", created.info().createdBy());
        // only the hash is stored
        try (Stream<io.helidon.dbclient.DbRow> rows = cp.database().client().execute()
                .query("SELECT * FROM api_tokens WHERE name = 'ci-deploy'")) {
            String row = rows.map(Object::toString).findFirst().orElseThrow();
            assertFalse(row.contains(created.token()), row);
            assertFalse(row.contains(created.token().substring(4)), row);
        }
        assertTrue(Api.text(api.get("/tokens")).contains("ci-deploy"));
        assertFalse(Api.text(api.get("/tokens")).contains(created.token()), "never listed");

        ModelMeshClient ci = ModelMeshClient.builder().controlPlane(cp.uri()).token(created.token()).build();
        DeploymentStatus d = ci.register(Registration.of("authored", Fixtures.irisOnnx())).deployment();
        assertEquals("ci-deploy", d.createdBy(), "the token's name, not a header the client chose");
        HttpResponse<byte[]> spoofed = api.as(created.token()).post("/deployments", "{\"model\":\"authored\","
                + "\"version\":\"1.0.0\",\"max_batch_size\":8}", "X-User", "someone-else");
        assertEquals("ci-deploy", api.read(spoofed, DeploymentStatus.class).createdBy());
        assertEquals("ci-deploy", ci.versions("authored").getFirst().createdBy());

        cp.tokenDirectory().reload(); // writes back which tokens were used
        TokenInfo listed = admin.tokens(false).stream().filter(t -> t.name().equals("ci-deploy")).findFirst()
                .orElseThrow();
        assertNotNull(listed.lastUsedAt(), "last use is recorded");

        ModelMeshException.ConflictException again = assertThrows(ModelMeshException.ConflictException.class,
                () -> admin.createToken(new TokenRequest("ci-deploy", List.of("read"), null, null)));
        assertTrue(again.getMessage().contains("mmctl token revoke ci-deploy"), again.getMessage());
    }

    @Test
    void scopesAreEnforcedAndDeployImpliesRead() {
        ModelMeshClient reader = client(TestTokens.named(cp, "viewer", Scope.READ));
        reader.listModels(0, 1, null);
        ModelMeshException noDeploy = assertThrows(ModelMeshException.UnauthorizedException.class,
                () -> reader.register(Registration.of("refused", Fixtures.irisOnnx())));
        assertEquals(403, noDeploy.status());
        assertTrue(noDeploy.getMessage().contains("token 'viewer' has scope [read]; this endpoint needs 'deploy'"),
                noDeploy.getMessage());
        assertEquals(403, assertThrows(ModelMeshException.class, () -> reader.tokens(false)).status());
        ModelMeshClient deployer = client(TestTokens.named(cp, "shipper", Scope.DEPLOY));
        deployer.listModels(0, 1, null);
        assertEquals(403, assertThrows(ModelMeshException.class, () -> deployer.tokens(false)).status(),
                "tokens are admin only");
        ModelMeshClient predictor = client(TestTokens.named(cp, "app", Scope.PREDICT));
        assertEquals(403, assertThrows(ModelMeshException.class, () -> predictor.listModels(0, 1, null)).status(),
                "predict does not imply read");
        assertEquals(404, api.get("/models/refused").statusCode(), "nothing was registered");
    }

    @Test
    void invalidRequestsNameTheField() {
        for (TokenRequest bad : List.of(new TokenRequest("bad name", List.of("read"), null, null),
                new TokenRequest("x", List.of(), null, null), new TokenRequest("x", List.of("root"), null, null),
                new TokenRequest("x", List.of("read"), 0L, null))) {
            ModelMeshException e = assertThrows(ModelMeshException.class, () -> admin.createToken(bad));
            assertEquals(400, e.status(), bad.toString());
        }
        HttpResponse<byte[]> badRate = api.post("/tokens", "{\"name\":\"r\",\"scopes\":[\"read\"],\"rate_limit\":"
                + "{\"per_second\":-1,\"burst\":1}}");
        assertEquals(400, badRate.statusCode(), Api.text(badRate));
    }

    @Test
    void anExpiredTokenStopsWorking() {
        CreatedToken t = admin.createToken(new TokenRequest("short-lived", List.of("read"), 60L, null));
        assertEquals(CLOCK.instant().plusSeconds(60), t.info().expiresAt(), "expires in 60 s");
        ModelMeshClient c = client(t.token());
        c.listModels(0, 1, null);
        CLOCK.advance(Duration.ofSeconds(61));
        try {
            ModelMeshException e = assertThrows(ModelMeshException.UnauthorizedException.class,
                    () -> c.listModels(0, 1, null));
            assertEquals(401, e.status());
        } finally {
            CLOCK.advance(Duration.ofSeconds(-61));
        }
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnceAndItsNameIsFree() {
        CreatedToken t = admin.createToken(new TokenRequest("leaked", List.of("deploy"), null, null));
        ModelMeshClient c = client(t.token());
        c.listModels(0, 1, null);
        TokenInfo revoked = admin.revokeToken("leaked");
        assertNotNull(revoked.revokedAt());
        assertEquals(401, assertThrows(ModelMeshException.class, () -> c.listModels(0, 1, null)).status());
        assertEquals(404, assertThrows(ModelMeshException.class, () -> admin.revokeToken("leaked")).status());
        assertTrue(admin.tokens(true).stream().anyMatch(i -> i.name().equals("leaked") && i.revokedAt() != null));
        assertFalse(admin.tokens(false).stream().anyMatch(i -> i.name().equals("leaked")));
        CreatedToken reused = admin.createToken(new TokenRequest("leaked", List.of("read"), null, null));
        assertNotEquals(t.token(), reused.token());
    }

    @Test
    void aRateLimitedTokenGets429WithRetryAfter() {
        CreatedToken t = admin.createToken(new TokenRequest("slow", List.of("read"), null, new RateLimit(0.5, 2)));
        Api slow = api.as(t.token());
        assertEquals(200, slow.get("/models").statusCode());
        assertEquals(200, slow.get("/models").statusCode());
        HttpResponse<byte[]> limited = slow.get("/models");
        assertEquals(429, limited.statusCode(), Api.text(limited));
        assertEquals("rate_limited", api.error(limited).error());
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "one request every 2 s: " + retryAfter);
        assertEquals(200, api.get("/models").statusCode(), "other tokens are not limited");
    }

    @Test
    void revokingTheBootstrapAdminTokenRotatesItAtTheNextStart() throws Exception {
        Path other = home.resolve("rotation");
        ControlPlaneConfig config = SharedDatabase.on(cp, other);
        // a second control plane on the same database makes no admin token of its own
        try (ControlPlane second = ControlPlane.start(config)) {
            assertFalse(Files.exists(other.resolve("admin-token")));
        }
        String before = TestTokens.admin(cp);
        CreatedToken breakGlass = admin.createToken(new TokenRequest("break-glass", List.of("admin"), null, null));
        ModelMeshClient operator = client(breakGlass.token());
        operator.revokeToken("admin");
        assertEquals(401, assertThrows(ModelMeshException.class, () -> admin.listModels(0, 1, null)).status());
        try (ControlPlane restarted = ControlPlane.start(SharedDatabase.on(cp, home))) {
            String after = Files.readString(home.resolve("admin-token")).trim();
            assertNotEquals(before, after, "a new token was written to the file");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    home.resolve("admin-token"))));
            ModelMeshClient fresh = ModelMeshClient.builder().controlPlane(restarted.uri()).token(after).build();
            assertTrue(fresh.tokens(false).stream().anyMatch(i -> i.name().equals("admin")));
        } finally {
            admin = ModelMeshClient.builder().controlPlane(cp.uri())
                    .token(Files.readString(home.resolve("admin-token")).trim()).build();
            api = Api.admin(cp);
        }
    }

    private static ModelMeshClient client(String token) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).token(token).build();
    }
}
