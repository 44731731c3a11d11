package io.modelmesh.controlplane;

import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.sdk.ModelMeshClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node channel's credentials: a node joins with the join token and then speaks only for itself, with its session. */
class NodeSessionApiTest {
    @TempDir
    static Path home;

    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        client = TestTokens.adminClient(cp);
        api = Api.admin(cp);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void heartbeatsNeedTheNodesOwnCurrentSession() {
        // no session: the admin token is not a node's session
        HttpResponse<byte[]> admin = api.post("/nodes/node-unknown/heartbeat", new NodeHeartbeat("node-unknown", 0));
        assertEquals(403, admin.statusCode(), Api.text(admin));
        // an invented session
        HttpResponse<byte[]> forged = api.post("/nodes/node-unknown/heartbeat", new NodeHeartbeat("node-unknown", 0),
                "Authorization", "Bearer mmn_" + "x".repeat(43));
        assertEquals(401, forged.statusCode());

        register("node-rejoin", "http://127.0.0.1:1", 0);
        String first = api.session("node-rejoin");
        heartbeat("node-rejoin", 0);
        HeartbeatReply reply = api.read(api.post("/nodes/node-rejoin/heartbeat", new NodeHeartbeat("node-rejoin", 0)),
                HeartbeatReply.class);
        assertEquals(client.routing().revision(), reply.latestRevision());
        assertEquals(null, reply.sessionToken(), "a session is only handed out at join");
        // another node's session cannot speak for this one
        register("node-other", "http://127.0.0.1:2", 0);
        HttpResponse<byte[]> impostor = api.post("/nodes/node-rejoin/heartbeat", new NodeHeartbeat("node-rejoin", 0),
                "Authorization", "Bearer " + api.session("node-other"));
        assertEquals(403, impostor.statusCode());
        // joining again replaces the session: the old one stops working at once
        register("node-rejoin", "http://127.0.0.1:1", 0);
        assertTrue(!first.equals(api.session("node-rejoin")));
        HttpResponse<byte[]> stale = api.post("/nodes/node-rejoin/heartbeat", new NodeHeartbeat("node-rejoin", 0),
                "Authorization", "Bearer " + first);
        assertEquals(401, stale.statusCode());
        heartbeat("node-rejoin", 0);
    }

    @Test
    void badNodeMessagesAre400() {
        assertEquals(400, api.post("/nodes/register", new NodeRegistration("n1", "not a url", 0)).statusCode());
        assertEquals(400, api.post("/nodes/register", new NodeRegistration("bad id!", "http://127.0.0.1:1", 0))
                .statusCode());
        assertEquals(400, api.post("/nodes/register", new NodeRegistration("n1", "http://127.0.0.1:1", -1))
                .statusCode());
        register("n1", "http://127.0.0.1:1", 0);
        HttpResponse<byte[]> mismatch = api.post("/nodes/n1/heartbeat", new NodeHeartbeat("n2", 0));
        assertEquals(400, mismatch.statusCode());
        assertTrue(api.error(mismatch).message().contains("/nodes/n2/heartbeat"));
        assertEquals(400, api.post("/nodes/n1/heartbeat", "[1,2").statusCode());
    }

    @Test
    void onlyTheJoinTokenOrAnAdminJoinsANode() {
        NodeRegistration r = new NodeRegistration("n-scoped", "http://127.0.0.1:3", 0);
        HttpResponse<byte[]> reader = api.post("/nodes/register", r, "Authorization", "Bearer "
                + TestTokens.named(cp, "reader", io.modelmesh.api.Scope.READ));
        assertEquals(403, reader.statusCode(), Api.text(reader));
        HttpResponse<byte[]> deployer = api.post("/nodes/register", r, "Authorization", "Bearer "
                + TestTokens.named(cp, "deployer"));
        assertEquals(403, deployer.statusCode(), "deploy does not imply node");
        assertEquals(401, new Api(cp.uri()).post("/nodes/register", r).statusCode());
        assertEquals(200, api.post("/nodes/register", r).statusCode(), "the join token");
        assertEquals(200, api.post("/nodes/register", r, "Authorization", "Bearer " + TestTokens.admin(cp))
                .statusCode(), "admin implies node");
    }

    private static void register(String id, String url, long revision) {
        HttpResponse<byte[]> res = api.post("/nodes/register", new NodeRegistration(id, url, revision));
        assertEquals(200, res.statusCode(), Api.text(res));
    }

    private static void heartbeat(String id, long revision) {
        HttpResponse<byte[]> res = api.post("/nodes/" + id + "/heartbeat", new NodeHeartbeat(id, revision));
        assertEquals(200, res.statusCode(), Api.text(res));
        assertTrue(api.read(res, HeartbeatReply.class).known());
    }
}
