package io.modelmesh.controlplane;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deployments pushed to a stand-in node over real sockets. */
class DeploymentApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path home;

    static final MutableClock CLOCK = new MutableClock(java.time.Instant.parse("2026-11-24T10:00:00Z"));
    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static StubNode node;
    static Path iris;

    @BeforeAll
    static void start() {
        iris = Fixtures.irisOnnx();
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), CLOCK);
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.named(cp, "deployer")).build();
        api = Api.admin(cp);
        node = StubNode.start("node-a");
        HeartbeatReply reply = node.join(api);
        assertEquals(0, reply.latestRevision());
        assertTrue(reply.known());
        assertTrue(reply.sessionToken().startsWith("mmn_"), "the node's session");
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
    void registeringANewModelPushesItToLiveNodesAndWaitsForTheirAck() throws Exception {
        RegistrationResult r = client.register(Registration.of("iris", iris));

        DeploymentStatus d = r.deployment();
        assertEquals(1, d.nodesAcked(), d.errors().toString());
        assertEquals(1, d.nodesTotal());
        assertEquals(List.of(), d.errors());
        RoutingTable pushed = node.awaitTable(t -> t.revision() == d.routingRevision(), WAIT);
        RouteTarget target = pushed.models().get("iris").targets().getFirst();
        assertEquals(new RouteTarget("1.0.0", "onnx", r.version().sha256(), r.version().sizeBytes(), 100,
                RouteTarget.Role.STABLE, r.version().schema()), target);
        assertEquals(pushed, client.routing());

        NodeStatus status = client.nodes().stream().filter(n -> n.nodeId().equals("node-a")).findFirst().orElseThrow();
        assertEquals(NodeState.LIVE, status.state());
        assertTrue(status.servingRevision() >= d.routingRevision(), "the ack is recorded");
    }

    @Test
    void servingPolicyTravelsInTheRouteAndIsKeptUntilChanged() throws Exception {
        client.register(Registration.of("batched", iris));
        client.register(Registration.of("batched", iris).withVersion("1.1.0"));

        DeploymentStatus on = client.deploy(new DeployRequest("batched", "1.0.0", 32, 5, 60));
        assertEquals(new ServingPolicy(32, 5, 60), on.route().policy());
        assertEquals("deploy 1.0.0 at 100% (batch 32 rows / 5 ms, cache 60 s)", on.change());
        RoutingTable pushed = node.awaitTable(t -> t.revision() == on.routingRevision(), WAIT);
        assertEquals(new ServingPolicy(32, 5, 60), pushed.models().get("batched").policy(), "nodes receive it");

        DeploymentStatus next = client.deploy("batched", "1.1.0");
        assertEquals(new ServingPolicy(32, 5, 60), next.route().policy(), "a deploy without settings keeps them");
        DeploymentStatus off = client.deploy(new DeployRequest("batched", "1.1.0", 1, null, 0));
        assertEquals(new ServingPolicy(1, 5, 0), off.route().policy());

        ModelMeshException bad = assertThrows(ModelMeshException.InvalidRequestException.class,
                () -> client.deploy(new DeployRequest("batched", "1.1.0", 0, null, null)));
        assertTrue(bad.getMessage().contains("max_batch_size must be 1..1024"), bad.getMessage());
        assertEquals(off.id(), client.deployment("batched").id(), "nothing written for a bad request");
    }

    @Test
    void admissionAndFallbackSettingsTravelInThePolicyAndBadOnesWriteNothing() throws Exception {
        client.register(Registration.of("guarded", iris));
        DeploymentStatus on = client.deploy(new DeployRequest("guarded", "1.0.0", null, null, null, null, 4, 64, 2000,
                ServingPolicy.Fallback.DEFAULT, java.util.Map.of("label", "unknown")));
        ServingPolicy expected = new ServingPolicy(1, 0, 0, 4, 64, 2000, ServingPolicy.Fallback.DEFAULT,
                java.util.Map.of("label", "unknown"));
        assertEquals(expected, on.route().policy());
        assertEquals("deploy 1.0.0 at 100% (no batching, no cache, concurrency 4, queue 64, timeout 2s, fallback "
                + "default)", on.change());
        RoutingTable pushed = node.awaitTable(t -> t.revision() == on.routingRevision(), WAIT);
        assertEquals(expected, pushed.models().get("guarded").policy(), "nodes receive it");

        for (DeployRequest bad : List.of(
                new DeployRequest("guarded", "1.0.0", null, null, null, null, 5000, null, null, null, null),
                new DeployRequest("guarded", "1.0.0", null, null, null, null, null, null, 600_001, null, null),
                new DeployRequest("guarded", "1.0.0", 8, 50, null, null, null, null, 20, null, null),
                new DeployRequest("guarded", "1.0.0", null, null, null, null, null, null, null,
                        ServingPolicy.Fallback.NONE, java.util.Map.of("label", "x")),
                new DeployRequest("guarded", "1.0.0", null, null, null, null, null, null, null,
                        ServingPolicy.Fallback.DEFAULT, java.util.Map.of("label", List.of(1, "x"))))) {
            ModelMeshException e = assertThrows(ModelMeshException.InvalidRequestException.class,
                    () -> client.deploy(bad));
            assertTrue(e.getMessage().contains("max_concurrency must be 0..4096") || e.getMessage().contains(
                    "timeout_ms must be 0..600000") || e.getMessage().contains("longer than maxLatencyMs")
                    || e.getMessage().contains("only used by fallback default") || e.getMessage().contains(
                    "must hold numbers only"), e.getMessage());
        }
        assertEquals(on.id(), client.deployment("guarded").id(), "nothing written for a bad request");
    }

    @Test
    void deployingAnotherVersionCreatesARevisionAndHistory() throws Exception {
        RegistrationResult first = client.register(Registration.of("fraud", iris));
        RegistrationResult second = client.register(Registration.of("fraud", iris).withVersion("1.1.0"));
        assertNull(second.deployment(), "later versions wait for an explicit deploy");

        DeploymentStatus d = client.deploy("fraud", "1.1.0");

        assertTrue(d.id() > first.deployment().id());
        assertEquals("deploy 1.1.0 at 100%", d.change());
        assertEquals("1.1.0", d.route().targets().getFirst().version());
        assertEquals(1, d.nodesAcked(), d.errors().toString());
        RoutingTable pushed = node.awaitTable(t -> t.revision() == d.routingRevision(), WAIT);
        assertEquals("1.1.0", pushed.models().get("fraud").targets().getFirst().version());
        assertEquals(pushed, client.routing(), "the pushed table is the current one");
        assertTrue(pushed.models().keySet().containsAll(client.listModels(0, 500, null).items().stream()
                .filter(m -> m.liveVersion() != null).map(m -> m.name()).toList()), "every deployed model is routed");

        DeploymentStatus current = client.deployment("fraud");
        assertEquals(d.id(), current.id());
        assertEquals(1, current.nodesAcked());
        assertEquals("1.1.0", client.model("fraud").liveVersion());

        HttpResponse<byte[]> history = api.get("/deployments/fraud/history");
        assertEquals(200, history.statusCode());
        DeploymentStatus[] h = api.read(history, DeploymentStatus[].class);
        assertEquals(List.of("deploy 1.1.0 at 100%", "deploy 1.0.0 at 100%"),
                List.of(h[0].change(), h[1].change()), "newest first");

        HttpResponse<byte[]> again = api.post("/deployments", new DeployRequest("fraud", "1.1.0"));
        assertEquals(200, again.statusCode(), "deploying the live version again writes nothing");
        assertEquals(d.id(), api.read(again, DeploymentStatus.class).id());

        HttpResponse<byte[]> back = api.post("/deployments", new DeployRequest("fraud", "1.0.0"));
        assertEquals(201, back.statusCode(), "rolling back to an older version is a new revision");
        assertTrue(api.read(back, DeploymentStatus.class).id() > d.id());
    }

    @Test
    void aNodeJoiningBehindFetchesTheTableAndItsAcknowledgementIsRecorded() throws Exception {
        client.register(Registration.of("catch-up", iris));
        long latest = client.routing().revision();
        try (StubNode late = StubNode.start("node-late")) {
            HeartbeatReply reply = late.join(api);
            assertTrue(reply.known());
            assertTrue(reply.latestRevision() >= latest);
            assertEquals(client.routing().clusterId(), reply.clusterId(), "the answer names the control plane");

            RoutingTable fetched = late.awaitTable(t -> t.revision() >= latest, WAIT);
            assertTrue(fetched.models().containsKey("catch-up"));
            assertEquals(reply.clusterId(), fetched.clusterId());
            org.awaitility.Awaitility.await("node-late's acknowledgement").atMost(WAIT).until(() -> client.nodes()
                    .stream().anyMatch(n -> n.nodeId().equals("node-late") && n.servingRevision() >= latest));

            // up to date: joining again fetches nothing
            late.clear();
            late.join(api);
            late.heartbeat();
            assertEquals(0, late.pending());
        } finally {
            // retire the stand-in: silent for longer than 3 heartbeat intervals while node-a keeps beating
            CLOCK.advance(Duration.ofSeconds(7));
            api.post("/nodes/node-a/heartbeat", "{\"node_id\":\"node-a\",\"serving_revision\":" + node.serving() + "}");
        }
        assertEquals(List.of(NodeState.DEAD), client.nodes().stream().filter(n -> n.nodeId().equals("node-late"))
                .map(NodeStatus::state).toList());
    }

    @Test
    void deployValidation() {
        client.register(Registration.of("quiet", iris).withDeploy(false));

        ModelMeshException.NotFoundException unknownModel = assertThrows(ModelMeshException.NotFoundException.class,
                () -> client.deploy("nope", "1.0.0"));
        assertTrue(unknownModel.getMessage().contains("'nope' is not registered"), unknownModel.getMessage());
        ModelMeshException.NotFoundException unknownVersion = assertThrows(ModelMeshException.NotFoundException.class,
                () -> client.deploy("quiet", "3.0.0"));
        assertTrue(unknownVersion.getMessage().contains("registered: 1.0.0"), unknownVersion.getMessage());
        assertEquals(400, assertThrows(ModelMeshException.class, () -> client.deploy("quiet", "3")).status());
        assertEquals(400, api.post("/deployments", "{}").statusCode());

        ModelMeshException.NotFoundException none = assertThrows(ModelMeshException.NotFoundException.class,
                () -> client.deployment("quiet"));
        assertTrue(none.getMessage().contains("has no deployment yet"), none.getMessage());
        assertEquals(404, api.get("/deployments/nope").statusCode());
        assertEquals(404, api.get("/deployments/nope/history").statusCode());
    }

    /** {@code POST /deployments?dry_run=true} checks and plans like a deploy and writes nothing (issue 13, item 5). */
    @Test
    void aDryRunDeployPlansAndWritesNothing() {
        client.register(Registration.of("dry", iris));
        client.register(Registration.of("dry", iris).withVersion("1.1.0").withDeploy(false));
        List<DeploymentStatus> before = client.history("dry");
        long routing = client.routing().revision();

        DeploymentStatus planned = client.previewDeploy(new DeployRequest("dry", "1.1.0"));
        assertEquals(0, planned.id(), "not written");
        assertTrue(planned.change().startsWith("dry run: "), planned.change());
        assertEquals("1.1.0", planned.route().targets().getFirst().version());
        assertEquals(0, planned.nodesTotal(), "no node notified");
        assertEquals(before, client.history("dry"));
        assertEquals(routing, client.routing().revision());

        DeploymentStatus same = client.previewDeploy(new DeployRequest("dry", "1.0.0"));
        assertTrue(same.change().contains("nothing would change"), same.change());
        assertThrows(ModelMeshException.NotFoundException.class,
                () -> client.previewDeploy(new DeployRequest("dry", "9.9.9")), "checked like a deploy");
        assertEquals(400, api.post("/deployments?dry_run=maybe", new DeployRequest("dry", "1.1.0")).statusCode());
    }
}
