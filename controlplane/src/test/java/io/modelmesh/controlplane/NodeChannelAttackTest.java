package io.modelmesh.controlplane;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RevisionNotice;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.Scope;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.Registration;
import io.modelmesh.server.auth.PushSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node channel attacked from the same host, over real sockets: registering a "node" without the join token or at
 * a URL that would make the control plane call somewhere else, posting outcome reports that are not a joined node's
 * own or that lie, and a node that answers a push with far too much. Pushes are checked to carry a signature the node
 * can verify with its session.
 */
class NodeChannelAttackTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    @TempDir
    static Path home;
    static ControlPlane cp;
    static ModelMeshClient admin;
    static Api api;
    static StubNode node;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home).withPushTimeout(Duration.ofSeconds(10)));
        admin = TestTokens.adminClient(cp);
        api = Api.admin(cp);
        node = StubNode.start("node-a");
        node.join(api);
        node.keepAlive();
        admin.register(Registration.of("iris", Fixtures.irisOnnx()));
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void nodesJoinOnlyWithTheJoinTokenAndOnlyAtAPlainBaseUrl() {
        NodeRegistration rogue = new NodeRegistration("rogue", "http://127.0.0.1:1", 0);
        assertEquals(401, new Api(cp.uri()).post("/nodes/register", rogue).statusCode());
        assertEquals(403, api.post("/nodes/register", rogue, "Authorization", "Bearer "
                + TestTokens.named(cp, "writer", Scope.DEPLOY)).statusCode());
        for (String url : List.of("http://user:pw@127.0.0.1:1", "http://127.0.0.1:1/internal?x=1",
                "http://127.0.0.1:1#frag", "http://127.0.0.1:1/admin", "ftp://127.0.0.1:1", "http:///nohost",
                "file:///etc/passwd", "http://127.0.0.1:1@evil.example", "gopher://127.0.0.1:6379/_FLUSHALL")) {
            HttpResponse<byte[]> res = api.post("/nodes/register", new NodeRegistration("rogue", url, 0));
            assertEquals(400, res.statusCode(), url + ": " + Api.text(res));
            assertTrue(api.error(res).message().contains("is not allowed"), Api.text(res));
        }
        assertFalse(admin.nodes().stream().map(NodeStatus::nodeId).anyMatch("rogue"::equals), "nothing registered");
        HttpResponse<byte[]> normalised = api.post("/nodes/register", new NodeRegistration("slash",
                "HTTP://127.0.0.1:9/", 0));
        assertEquals(200, normalised.statusCode());
        assertEquals("http://127.0.0.1:9", admin.nodes().stream().filter(n -> n.nodeId().equals("slash"))
                .findFirst().orElseThrow().url());
    }

    @Test
    void noticesCarryASignatureOnlyTheNodesSessionVerifiesAndNoTable() throws Exception {
        node.clear();
        admin.register(Registration.of("signed", Fixtures.irisOnnx()));
        RoutingTable fetched = node.awaitTable(t -> t.models().containsKey("signed"), Duration.ofSeconds(20));
        String key = PushSignature.key(api.session("node-a"));
        long now = System.currentTimeMillis();
        assertEquals(Optional.empty(), PushSignature.verify(key, node.lastSignature, "POST", "/internal/routing", now,
                node.lastBody));
        String otherKey = PushSignature.key(io.modelmesh.server.auth.Tokens.generate("mmn_"));
        assertTrue(PushSignature.verify(otherKey, node.lastSignature, "POST", "/internal/routing", now,
                node.lastBody).isPresent());
        RevisionNotice notice = Api.JSON.readValue(node.lastBody, RevisionNotice.class);
        assertEquals(fetched.revision(), notice.revision());
        assertEquals(fetched.clusterId(), notice.clusterId());
        assertTrue(node.lastBody.length < 200, "a notice, not a table: " + node.lastBody.length + " bytes");
    }

    @Test
    void outcomeReportsComeOnlyFromTheNodeItselfAndMustAddUp() {
        String path = "/nodes/node-a/outcomes";
        OutcomeReport honest = report(new VersionOutcome("iris", "1.0.0", RouteTarget.Role.STABLE, 10, 1, null));
        assertEquals(401, new Api(cp.uri()).post(path, honest).statusCode(), "no credential");
        assertEquals(403, api.post(path, honest, "Authorization", "Bearer " + TestTokens.join(cp)).statusCode(),
                "the join token is not a session");
        assertEquals(403, api.post(path, honest, "Authorization", "Bearer " + TestTokens.admin(cp)).statusCode(),
                "an admin is not a node");
        assertEquals(200, api.post("/nodes/register", new NodeRegistration("node-b", "http://127.0.0.1:2", 0))
                .statusCode());
        assertEquals(403, api.post(path, honest, "Authorization", "Bearer " + api.session("node-b")).statusCode(),
                "another node's session");

        List<OutcomeReport> lies = new ArrayList<>(List.of(
                report(new VersionOutcome("iris", "1.0.0", RouteTarget.Role.STABLE, -5, 0, null)),
                report(new VersionOutcome("iris", "1.0.0", RouteTarget.Role.STABLE, 1, 5, null)),
                report(new VersionOutcome("iris", "9.9.9", RouteTarget.Role.CANARY, 1, 0, null)),
                report(new VersionOutcome("invented", "1.0.0", RouteTarget.Role.CANARY, 1, 0, null))));
        List<VersionOutcome> flood = new ArrayList<>();
        for (int i = 0; i < 1_100; i++) {
            flood.add(new VersionOutcome("m" + i, "1.0.0", null, 1, 0, LatencyHistogram.empty()));
        }
        lies.add(report(flood.toArray(VersionOutcome[]::new)));
        for (OutcomeReport lie : lies) {
            HttpResponse<byte[]> res = api.post(path, lie);
            assertEquals(400, res.statusCode(), Api.text(res));
        }
        HttpResponse<byte[]> negativeBucket = api.post(path, "{\"node_id\":\"node-a\",\"serving_revision\":0,"
                + "\"versions\":[{\"model\":\"iris\",\"version\":\"1.0.0\",\"requests\":1,\"errors\":0,"
                + "\"latency\":{\"counts\":[-1],\"sum_ms\":1}}]}");
        assertEquals(400, negativeBucket.statusCode(), Api.text(negativeBucket));
        assertEquals(404, api.get("/monitoring/traffic/invented").statusCode(), "no state for invented models");

        HttpResponse<byte[]> accepted = api.post(path, honest);
        assertEquals(204, accepted.statusCode(), Api.text(accepted));
        assertEquals(10, admin.traffic("iris").versions().stream().mapToLong(v -> v.requests()).sum(),
                "only the honest report was counted");
    }

    @Test
    void aNodeAnsweringAPushWithTooMuchIsReadNoFurther() {
        StubNode greedy = StubNode.start("node-greedy");
        try {
            greedy.hugeAnswers(true);
            greedy.join(api);
            DeploymentStatus d = admin.register(Registration.of("bounded", Fixtures.irisOnnx())).deployment();
            assertTrue(d.errors().stream().anyMatch(e -> e.startsWith("node-greedy") && e.contains("65536 bytes")
                    && e.contains("no acknowledgement within")), d.errors().toString());
            assertTrue(d.nodesAcked() >= 1, "the other node acknowledged: " + d);
            assertEquals(200, api.get("/health").statusCode(), "the control plane keeps answering");
        } finally {
            greedy.close();
        }
    }

    /** A report of node-a for the current revision (windows of other revisions are not counted). */
    private static OutcomeReport report(VersionOutcome... versions) {
        return new OutcomeReport("node-a", admin.routing().revision(), T0, T0.plusSeconds(1), List.of(versions),
                List.of());
    }
}
