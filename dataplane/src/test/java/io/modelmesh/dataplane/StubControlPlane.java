package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.Json;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RoutingTable;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control plane's node-facing API on a real socket, scripted by the test: the table to hand out and the bytes
 * behind each sha256. The real control plane is exercised by the end-to-end tests.
 */
final class StubControlPlane implements AutoCloseable {
    private final ObjectMapper json = Json.mapper();
    private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    final Map<String, NodeRegistration> registered = new ConcurrentHashMap<>();
    final AtomicInteger downloads = new AtomicInteger();
    volatile RoutingTable table = RoutingTable.empty();
    /** Outcome reports accepted, in arrival order. */
    final List<OutcomeReport> outcomes = new CopyOnWriteArrayList<>();
    /** Status answered to outcome reports (a non-2xx one refuses them, and they are not captured). */
    volatile int outcomesStatus = 204;
    private final WebServer server;

    StubControlPlane() {
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r
                .get("/artifacts/{sha}", (req, res) -> {
                    byte[] bytes = artifacts.get(req.path().pathParameters().get("sha"));
                    if (bytes == null) {
                        res.status(Status.NOT_FOUND_404).send();
                        return;
                    }
                    downloads.incrementAndGet();
                    res.send(bytes);
                })
                .post("/nodes/register", (req, res) -> {
                    NodeRegistration reg = json.readValue(req.content().as(byte[].class), NodeRegistration.class);
                    registered.put(reg.nodeId(), reg);
                    reply(res, new HeartbeatReply(table.revision(), true));
                })
                .post("/nodes/{id}/heartbeat", (req, res) -> reply(res, new HeartbeatReply(table.revision(),
                        registered.containsKey(req.path().pathParameters().get("id")))))
                .post("/nodes/{id}/outcomes", (req, res) -> {
                    OutcomeReport report = json.readValue(req.content().as(byte[].class), OutcomeReport.class);
                    if (outcomesStatus / 100 == 2) {
                        outcomes.add(report);
                    }
                    res.status(Status.create(outcomesStatus)).send();
                })
                .get("/routing", (req, res) -> reply(res, table))).build().start();
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
