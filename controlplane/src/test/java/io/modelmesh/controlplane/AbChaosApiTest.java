package io.modelmesh.controlplane;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbRequest;
import io.modelmesh.api.AbSpec;
import io.modelmesh.api.ChaosRequest;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.Fault;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.sdk.ModelMeshClient;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sticky A/B splits and admin-only fault injection pushed to two stand-in nodes over real sockets. */
class AbChaosApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @TempDir
    static Path home;

    static final MutableClock CLOCK = new MutableClock(T0);
    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static StubNode nodeA;
    static StubNode nodeB;
    static Path iris;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        iris = Fixtures.irisOnnx();
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), CLOCK);
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.named(cp, "tester")).build();
        api = Api.admin(cp);
        nodeA = StubNode.start("node-a");
        nodeB = StubNode.start("node-b");
        for (StubNode n : List.of(nodeA, nodeB)) {
            n.join(api);
        }
        Path file = home.resolve("admin-token");
        token = Files.readString(file).trim();
        assertTrue(token.matches("mmt_[A-Za-z0-9_-]{43}"), "32 random bytes, URL-safe, with a prefix: " + token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
        for (StubNode n : new StubNode[] {nodeA, nodeB}) {
            if (n != null) {
                n.close();
            }
        }
    }

    @Test
    void anAbSplitIsPushedWithItsStickyKey() throws Exception {
        client.register(Registration.of("checkout", iris));
        client.register(Registration.of("checkout", iris).withVersion("1.1.0"));

        HttpResponse<byte[]> res = api.post("/deployments/ab", new AbRequest("checkout",
                List.of(new AbArm("1.0.0", 50), new AbArm("1.1.0", 50)), "X-Customer"));
        assertEquals(201, res.statusCode(), Api.text(res));
        DeploymentStatus s = api.read(res, DeploymentStatus.class);
        assertEquals("A/B 1.0.0 50% / 1.1.0 50% (sticky on X-Customer)", s.change());
        assertEquals(new AbSpec("X-Customer", List.of(new AbArm("1.0.0", 50), new AbArm("1.1.0", 50))), s.spec().ab());
        for (StubNode n : List.of(nodeA, nodeB)) {
            ModelRoute pushed = n.awaitTable(t -> t.revision() == s.routingRevision(), WAIT).models().get("checkout");
            assertEquals(List.of("1.0.0:ARM:50", "1.1.0:ARM:50"), ShadowApiTest.describe(pushed));
            assertEquals("X-Customer", pushed.stickyKey());
        }
        assertEquals(200, api.post("/deployments/ab", new AbRequest("checkout",
                List.of(new AbArm("1.0.0", 50), new AbArm("1.1.0", 50)), "X-Customer")).statusCode());

        DeploymentStatus other = api.read(api.post("/deployments/ab", new AbRequest("checkout",
                List.of(new AbArm("1.0.0", 90), new AbArm("1.1.0", 10)), null)), DeploymentStatus.class);
        assertEquals("A/B 1.0.0 90% / 1.1.0 10% (sticky on X-User-Id)", other.change());

        HttpResponse<byte[]> shadow = api.post("/deployments/shadow", new ShadowRequest("checkout", "1.1.0", null));
        assertEquals(409, shadow.statusCode());
        assertTrue(api.error(shadow).message().contains("is in an A/B split"), Api.text(shadow));
    }

    @Test
    void invalidAbWeightsAreRefusedNamingTheFieldWithNothingWritten() {
        client.register(Registration.of("ab-bad", iris));
        client.register(Registration.of("ab-bad", iris).withVersion("1.1.0"));
        long before = deploymentRows();

        ErrorBody sum = api.error(api.post("/deployments/ab", new AbRequest("ab-bad",
                List.of(new AbArm("1.0.0", 60), new AbArm("1.1.0", 50)), null)));
        assertEquals(400, sum.status());
        assertTrue(sum.message().contains("spec.ab.arms: weights must add up to 100, they add up to 110"),
                sum.message());
        ErrorBody zero = api.error(api.post("/deployments/ab", "{\"model\":\"ab-bad\",\"arms\":[{\"version\":"
                + "\"1.0.0\",\"weight\":100},{\"version\":\"1.1.0\"}]}"));
        assertTrue(zero.message().contains("spec.ab.arms[1].weight: must be 1..99, got 0"), zero.message());
        ErrorBody one = api.error(api.post("/deployments/ab", new AbRequest("ab-bad",
                List.of(new AbArm("1.0.0", 100)), null)));
        assertTrue(one.message().contains("spec.ab.arms: needs at least 2 arms"), one.message());
        ErrorBody key = api.error(api.post("/deployments/ab", new AbRequest("ab-bad",
                List.of(new AbArm("1.0.0", 50), new AbArm("1.1.0", 50)), "bad key")));
        assertTrue(key.message().contains("spec.ab.stickyKey"), key.message());
        ErrorBody nullArm = api.error(api.post("/deployments/ab", "{\"model\":\"ab-bad\",\"arms\":[null,"
                + "{\"version\":\"1.1.0\",\"weight\":50}]}"));
        assertEquals(400, nullArm.status());
        assertTrue(nullArm.message().contains("spec.ab.arms[0]"), nullArm.message());

        assertEquals(before, deploymentRows(), "nothing written");
    }

    @Test
    void chaosNeedsTheAdminToken() {
        client.register(Registration.of("guarded", iris));
        long before = deploymentRows();
        ChaosRequest req = new ChaosRequest("guarded", "1.0.0", 0.5, null, null, null);

        HttpResponse<byte[]> missing = new Api(cp.uri()).post("/deployments/chaos", req);
        assertEquals(401, missing.statusCode());
        assertTrue(api.error(missing).message().startsWith("this endpoint needs a token with scope 'admin'"),
                api.error(missing).message());
        assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, api.post("/deployments/chaos", req, "Authorization", "Basic " + token).statusCode());
        assertEquals(401, api.post("/deployments/chaos", req, "Authorization", "Bearer " + token + "0").statusCode());
        HttpResponse<byte[]> deployer = api.post("/deployments/chaos", req, "Authorization", "Bearer "
                + TestTokens.named(cp, "tester"));
        assertEquals(403, deployer.statusCode());
        assertEquals("forbidden", api.error(deployer).error());
        assertEquals(before, deploymentRows(), "nothing written without the token");
    }

    @Test
    void chaosSetsAFaultOnEveryNodeKeepsTheSpecAndClears() throws Exception {
        client.register(Registration.of("drill", iris));
        client.register(Registration.of("drill", iris).withVersion("1.1.0"));
        DeploymentStatus shadow = api.read(api.post("/deployments/shadow", new ShadowRequest("drill", "1.1.0", null)),
                DeploymentStatus.class);

        HttpResponse<byte[]> res = chaos(new ChaosRequest("drill", "1.0.0", 0.5, 200, 30, null));
        assertEquals(201, res.statusCode(), Api.text(res));
        DeploymentStatus on = api.read(res, DeploymentStatus.class);
        assertEquals("chaos on 1.0.0: 50% errors, +200 ms latency, for 30 s", on.change());
        assertEquals(shadow.spec(), on.spec(), "the spec is kept: the shadow goes on");
        Fault fault = new Fault(0.5, 200, CLOCK.instant().plusSeconds(30));
        for (StubNode n : List.of(nodeA, nodeB)) {
            RoutingTable pushed = n.awaitTable(t -> t.revision() == on.routingRevision(), WAIT);
            assertEquals(fault, ShadowApiTest.target(pushed, "drill", "1.0.0").fault(), n.nodeId());
            assertNull(ShadowApiTest.target(pushed, "drill", "1.1.0").fault());
        }
        ShadowReport comparison = api.read(api.get("/monitoring/shadow/drill"), ShadowReport.class);
        assertEquals(shadow.createdAt(), comparison.since(), "a chaos revision does not restart the comparison");

        DeploymentStatus forever = api.read(chaos(new ChaosRequest("drill", "1.1.0", 0.0, 50, null, null)),
                DeploymentStatus.class);
        assertEquals("chaos on 1.1.0: 0% errors, +50 ms latency, until cleared", forever.change());

        HttpResponse<byte[]> cleared = chaos(new ChaosRequest("drill", "1.0.0", null, null, null, true));
        assertEquals(201, cleared.statusCode(), Api.text(cleared));
        DeploymentStatus off = api.read(cleared, DeploymentStatus.class);
        assertEquals("chaos cleared on 1.0.0", off.change());
        RoutingTable pushed = nodeA.awaitTable(t -> t.revision() == off.routingRevision(), WAIT);
        assertNull(ShadowApiTest.target(pushed, "drill", "1.0.0").fault());
        assertEquals(new Fault(0, 50, null), ShadowApiTest.target(pushed, "drill", "1.1.0").fault(), "other kept");
        assertEquals(200, chaos(new ChaosRequest("drill", "1.0.0", null, null, null, true)).statusCode(),
                "clearing what is clear writes nothing");
        assertEquals(shadow.spec(), client.deployment("drill").spec());
    }

    @Test
    void rollbackToARevisionMadeWhileAFaultWasSetDoesNotRestoreTheFault() throws Exception {
        client.register(Registration.of("drill-back", iris));
        client.register(Registration.of("drill-back", iris).withVersion("1.1.0"));
        DeploymentStatus deployed = client.deploy("drill-back", "1.1.0");
        DeploymentStatus faulty = api.read(chaos(new ChaosRequest("drill-back", "1.1.0", 1.0, null, null, null)),
                DeploymentStatus.class);
        DeploymentStatus cleared = api.read(chaos(new ChaosRequest("drill-back", "1.1.0", null, null, null, true)),
                DeploymentStatus.class);
        assertEquals(List.of(1L, 2L, 3L, 4L), client.history("drill-back").stream().map(DeploymentStatus::id)
                .sorted().toList(), "the model's own revision numbers, whatever other models wrote meanwhile");
        assertEquals(3, faulty.id());
        assertTrue(faulty.routingRevision() > deployed.routingRevision());

        DeploymentStatus same = client.rollback("drill-back", faulty.id());
        assertEquals(4, same.id(), "revision 3 without its fault is what revision 4 serves: nothing to write");
        assertNull(same.route().targets().getFirst().fault());
        client.deploy("drill-back", "1.0.0");
        DeploymentStatus back = client.rollback("drill-back", faulty.id());
        assertEquals(6, back.id());
        assertEquals("rollback to revision 3 (without its chaos fault)", back.change());
        assertNull(back.route().targets().getFirst().fault(), "the rollback's route carries no fault");
        for (StubNode n : List.of(nodeA, nodeB)) {
            RoutingTable pushed = n.awaitTable(t -> t.revision() >= back.routingRevision(), WAIT);
            assertNull(ShadowApiTest.target(pushed, "drill-back", "1.1.0").fault(), n.nodeId() + " serves no fault");
        }
        assertTrue(cleared.routingRevision() < back.routingRevision());
        HttpResponse<byte[]> none = api.post("/deployments/drill-back/rollback", "{\"to_revision\": 99}");
        assertEquals(404, none.statusCode());
        assertTrue(api.error(none).message().contains("has no revision 99; mmctl history drill-back lists them"),
                Api.text(none));
    }

    @Test
    void chaosValidation() {
        client.register(Registration.of("drill-bad", iris));
        long before = deploymentRows();
        assertMessage(chaos(new ChaosRequest("drill-bad", "1.0.0", null, 100, null, null)), 400,
                "error_rate is required");
        assertMessage(chaos(new ChaosRequest("drill-bad", "1.0.0", 1.5, null, null, null)), 400,
                "error_rate must be 0..1");
        assertMessage(chaos(new ChaosRequest("drill-bad", "1.0.0", 0.0, 0, null, null)), 400, "nothing to inject");
        assertMessage(chaos(new ChaosRequest("drill-bad", "1.0.0", 0.1, 70_000, null, null)), 400,
                "latency_ms must be 0..60000");
        assertMessage(chaos(new ChaosRequest("drill-bad", "1.0.0", 0.1, null, 0, null)), 400,
                "duration_seconds must be 1..");
        assertMessage(chaos(new ChaosRequest("drill-bad", "9.9.9", 0.1, null, null, null)), 400,
                "does not route version 9.9.9 (routed: [1.0.0])");
        assertMessage(chaos(new ChaosRequest("nope", "1.0.0", 0.1, null, null, null)), 404, "not registered");
        assertEquals(before, deploymentRows(), "nothing written");
    }

    private static void assertMessage(HttpResponse<byte[]> res, int status, String part) {
        assertEquals(status, res.statusCode(), Api.text(res));
        assertTrue(api.error(res).message().contains(part), Api.text(res));
    }

    private static HttpResponse<byte[]> chaos(ChaosRequest r) {
        return api.post("/deployments/chaos", r, "Authorization", "Bearer " + token, "Authorization", "Bearer " + TestTokens.named(cp, "sre"));
    }

    private static long deploymentRows() {
        return ((Number) cp.database().client().execute().get("SELECT count(*) AS n FROM deployments").orElseThrow()
                .column("n").get(Object.class)).longValue();
    }
}
