package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.Json;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.RevisionNotice;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.NodeCredentials;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.server.auth.PushSignature;
import io.modelmesh.server.auth.Tokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control plane's node-facing API on a real socket, scripted by the test: the table to hand out (under this
 * stub's cluster id and epoch), the bytes behind each sha256, and the tokens nodes accept. Like the real one it hands
 * a joining node a session, expects that session on the node's calls, signs its revision notices with the key derived
 * from it and takes heartbeats as acknowledgements ({@link #push}). The real control plane is exercised by the
 * end-to-end tests.
 */
final class StubControlPlane implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = Json.mapper();
    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    final Map<String, NodeRegistration> registered = new ConcurrentHashMap<>();
    final AtomicInteger downloads = new AtomicInteger();
    /** This stub's identity; {@link #identity} changes it (a replaced database). */
    volatile String clusterId = java.util.UUID.randomUUID().toString();
    volatile long epoch = 1;
    volatile RoutingTable table = RoutingTable.empty().withIdentity(clusterId, epoch);
    /** Heartbeats received, the newest last (each is a node's acknowledgement of what it serves). */
    final List<NodeHeartbeat> heartbeats = new CopyOnWriteArrayList<>();
    /** Outcome reports accepted, in arrival order. */
    final List<OutcomeReport> outcomes = new CopyOnWriteArrayList<>();
    /** Status answered to outcome reports (a non-2xx one refuses them, and they are not captured). */
    volatile int outcomesStatus = 204;
    /** The join token nodes must present ({@link #JOIN}); sessions handed out, by node. */
    static final String JOIN = "mmt_stub-join-token";
    final Map<String, String> sessions = new ConcurrentHashMap<>();
    /** The tokens nodes accept, handed out by {@code GET /nodes/{id}/credentials}. */
    volatile NodeCredentials credentials = new NodeCredentials("0", List.of());
    private final WebServer server;

    StubControlPlane() {
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r
                .get("/artifacts/{sha}", (req, res) -> {
                    if (!hasSession(req)) {
                        res.status(Status.UNAUTHORIZED_401).send();
                        return;
                    }
                    byte[] bytes = artifacts.get(req.path().pathParameters().get("sha"));
                    if (bytes == null) {
                        res.status(Status.NOT_FOUND_404).send();
                        return;
                    }
                    downloads.incrementAndGet();
                    res.send(bytes);
                })
                .post("/nodes/register", (req, res) -> {
                    if (!("Bearer " + JOIN).equals(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null))) {
                        res.status(Status.UNAUTHORIZED_401).send();
                        return;
                    }
                    NodeRegistration reg = json.readValue(req.content().as(byte[].class), NodeRegistration.class);
                    String session = Tokens.generate(Tokens.NODE_PREFIX);
                    sessions.put(reg.nodeId(), session);
                    registered.put(reg.nodeId(), reg);
                    reply(res, new HeartbeatReply(table.revision(), true, session, credentials.version(), clusterId,
                            epoch));
                })
                .post("/nodes/{id}/heartbeat", (req, res) -> {
                    if (!isSessionOf(req)) {
                        res.status(Status.UNAUTHORIZED_401).send();
                        return;
                    }
                    heartbeats.add(json.readValue(req.content().as(byte[].class), NodeHeartbeat.class));
                    reply(res, new HeartbeatReply(table.revision(), true, null, credentials.version(), clusterId,
                            epoch));
                })
                .get("/nodes/{id}/credentials", (req, res) -> {
                    if (!isSessionOf(req)) {
                        res.status(Status.UNAUTHORIZED_401).send();
                        return;
                    }
                    reply(res, credentials);
                })
                .post("/nodes/{id}/outcomes", (req, res) -> {
                    if (!isSessionOf(req)) {
                        res.status(Status.UNAUTHORIZED_401).send();
                        return;
                    }
                    OutcomeReport report = json.readValue(req.content().as(byte[].class), OutcomeReport.class);
                    if (outcomesStatus / 100 == 2) {
                        outcomes.add(report);
                    }
                    res.status(Status.create(outcomesStatus)).send();
                })
                .get("/nodes/{id}/routing", (req, res) -> {
                    if (!isSessionOf(req)) {
                        res.status(Status.UNAUTHORIZED_401).send();
                        return;
                    }
                    RoutingTable t = table;
                    reply(res, t.clusterId() == null ? t.withIdentity(clusterId, epoch) : t); // as a control plane does
                })).build().start();
    }

    private boolean isSessionOf(io.helidon.webserver.http.ServerRequest req) {
        String session = sessions.get(req.path().pathParameters().get("id"));
        return session != null && ("Bearer " + session).equals(req.headers().first(HeaderNames.AUTHORIZATION)
                .orElse(null));
    }

    private boolean hasSession(io.helidon.webserver.http.ServerRequest req) {
        String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        return sessions.values().stream().anyMatch(s -> auth.equals("Bearer " + s));
    }

    /** A node configured to join this stub (the join token set). */
    DataPlaneConfig nodeConfig(Path home) {
        return nodeConfigFor(uri(), home);
    }

    /** A node configured to join a stub at {@code controlPlane} (which may be gone). */
    static DataPlaneConfig nodeConfigFor(URI controlPlane, Path home) {
        return DataPlaneConfig.forTests(controlPlane, home).withJoinToken(JOIN);
    }

    /**
     * Publishes {@code table} to {@code node} as its control plane does: serves it (under this stub's identity when it
     * has none), sends the signed notice, and waits for the node's acknowledgement, a heartbeat after the notice that
     * serves the revision (or a newer one). The answer is that acknowledgement as a {@link RoutingAck}.
     */
    RoutingAck push(DataPlane node, RoutingTable table) throws Exception {
        Await.until(() -> sessions.containsKey(node.nodeId()), Duration.ofSeconds(20), node.nodeId() + " to join");
        RoutingTable served = table.clusterId() == null ? table.withIdentity(clusterId, epoch) : table;
        this.table = served;
        int seen = heartbeats.size();
        byte[] body = json.writeValueAsBytes(new RevisionNotice(served.clusterId(), served.epoch(),
                served.revision()));
        HttpRequest req = HttpRequest.newBuilder(node.uri().resolve("/internal/routing"))
                .header("Content-Type", "application/json")
                .header(PushSignature.HEADER, PushSignature.sign(PushSignature.key(sessions.get(node.nodeId())), "POST",
                        "/internal/routing", System.currentTimeMillis(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> res = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 202) {
            throw new IllegalStateException("the notice answered HTTP " + res.statusCode() + ": " + res.body());
        }
        NodeHeartbeat[] ack = new NodeHeartbeat[1];
        Await.until(() -> {
            for (int i = heartbeats.size() - 1; i >= seen; i--) {
                NodeHeartbeat h = heartbeats.get(i);
                if (node.nodeId().equals(h.nodeId()) && served.sameIdentity(h.clusterId(), h.epoch())
                        && h.servingRevision() >= served.revision()) {
                    ack[0] = h;
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(90), node.nodeId() + " to acknowledge revision " + served.revision());
        NodeHeartbeat h = ack[0];
        String error = h.failed().isEmpty() ? null : "revision " + h.servingRevision() + " is served without the new "
                + "targets of " + h.failed().size() + " model(s), which keep their previous ones: "
                + h.failed().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
        return new RoutingAck(h.nodeId(), h.servingRevision(), h.failed().isEmpty(), error, h.failed());
    }

    /** Becomes another control plane: a new cluster id (a replaced database) or the next epoch (a restored one). */
    void identity(String cluster, long newEpoch) {
        this.clusterId = cluster;
        this.epoch = newEpoch;
        this.table = table.withIdentity(cluster, newEpoch);
    }

    private void reply(io.helidon.webserver.http.ServerResponse res, Object body) throws java.io.IOException {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.writeValueAsBytes(body));
    }

    /** Serves a file's bytes under its sha256. */
    void serve(Path file) throws java.io.IOException {
        artifacts.put(Fixtures.sha256(file), Files.readAllBytes(file));
    }

    /** Serves other bytes under a sha256 (a tampered or corrupted download). */
    void serveAs(String sha256, byte[] bytes) {
        artifacts.put(sha256, bytes);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        server.stop();
    }
}
