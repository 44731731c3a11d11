package io.modelmesh.controlplane;

import io.modelmesh.metrics.PrometheusText;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Node liveness driven by a hand-advanced clock; failing and unreachable nodes in deployment reports. */
class NodeLivenessApiTest {
    @TempDir
    static Path home;

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static StubNode healthy;
    static StubNode failing;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home), CLOCK);
        client = TestTokens.adminClient(cp);
        api = Api.admin(cp);
        healthy = StubNode.start("node-ok");
        failing = StubNode.start("node-failing");
        failing.failPushes(true);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
        if (healthy != null) {
            healthy.close();
        }
        if (failing != null) {
            failing.close();
        }
    }

    @Test
    void deploymentsReportFailingNodesAndSkipDeadOnes() throws IOException {
        healthy.join(api);
        failing.join(api);
        register("node-gone", "http://127.0.0.1:" + freePort(), 0);

        RegistrationResult r = client.register(Registration.of("iris", Fixtures.irisOnnx()));
        DeploymentStatus d = r.deployment();
        assertEquals(3, d.nodesTotal());
        assertEquals(1, d.nodesAcked());
        assertEquals(2, d.errors().size(), d.errors().toString());
        assertTrue(d.errors().stream().anyMatch(e -> e.startsWith("node-failing: serves routing revision " + d.routingRevision()
                + " without the new targets of 1 model(s)") && e.contains("iris: cannot load artifact")),
                d.errors().toString());
        assertTrue(d.errors().stream().anyMatch(e -> e.startsWith("node-gone: unreachable")), d.errors().toString());

        // 7 s later only node-ok has kept heartbeating: the others are DEAD and skipped
        CLOCK.advance(Duration.ofSeconds(4));
        assertTrue(healthy.heartbeat().known());
        CLOCK.advance(Duration.ofSeconds(3));
        assertTrue(healthy.heartbeat().known());
        Map<String, String> states = client.nodes().stream()
                .collect(Collectors.toMap(NodeStatus::nodeId, n -> n.state().name())); // the wire names
        assertEquals(Map.of("node-ok", "LIVE", "node-failing", "DEAD", "node-gone", "DEAD"), states);

        client.register(Registration.of("iris", Fixtures.irisOnnx()).withVersion("1.1.0"));
        DeploymentStatus next = client.deploy("iris", "1.1.0");
        assertEquals(1, next.nodesTotal());
        assertEquals(1, next.nodesAcked());
        assertEquals(List.of(), next.errors());

        String metrics = Api.text(api.get("/metrics"));
        assertEquals(2, PrometheusText.valueOrZero(metrics, "routing_pushes_total", Map.of("outcome", "failed")),
                metrics);
        assertEquals(2, PrometheusText.valueOrZero(metrics, "routing_push_seconds_count", Map.of("outcome", "acked")),
                metrics);
        assertEquals(2, PrometheusText.valueOrZero(metrics, "nodes", Map.of("state", "DEAD")), metrics);
    }

    private static void register(String id, String url, long revision) {
        HttpResponse<byte[]> res = api.post("/nodes/register", new NodeRegistration(id, url, revision));
        assertEquals(200, res.statusCode(), Api.text(res));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
