package io.modelmesh.controlplane;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.server.auth.PushSignature;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A stand-in data-plane node: {@code PUT /internal/routing} records the table and acknowledges it like a real node
 * (a revision at or below the served one is acknowledged without change).
 */
public final class StubNode implements AutoCloseable {
    private final String nodeId;
    private final BlockingQueue<RoutingTable> received = new LinkedBlockingQueue<>();
    private volatile long serving;
    private volatile boolean failing;
    private volatile boolean huge;
    /** The signature header and body of the last push (the test checks them with the node's session). */
    volatile String lastSignature;
    volatile byte[] lastBody;
    private final WebServer server;

    private StubNode(String nodeId) {
        this.nodeId = nodeId;
        this.server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.put("/internal/routing", (req, res) -> {
                    RoutingTable table;
                    try (InputStream in = req.content().inputStream()) {
                        byte[] body = in.readAllBytes();
                        lastBody = body;
                        lastSignature = req.headers().first(HeaderNames.create(PushSignature.HEADER)).orElse(null);
                        table = Api.JSON.readValue(body, RoutingTable.class);
                    }
                    if (huge) {
                        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(new byte[10 << 20]);
                        return;
                    }
                    if (failing) {
                        res.status(Status.INTERNAL_SERVER_ERROR_500).header(HeaderNames.CONTENT_TYPE, "application/json")
                                .send("{\"status\":500,\"error\":\"internal\",\"message\":\"cannot load artifact\"}");
                        return;
                    }
                    synchronized (this) {
                        serving = Math.max(serving, table.revision());
                    }
                    received.add(table);
                    res.header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(Api.JSON.writeValueAsBytes(new RoutingAck(nodeId, serving, true, null)));
                }))
                .build().start();
    }

    public static StubNode start(String nodeId) {
        return new StubNode(nodeId);
    }

    public String nodeId() {
        return nodeId;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public long serving() {
        return serving;
    }

    /** Makes pushes answered with 10 MiB (a hostile or broken node). */
    public void hugeAnswers(boolean on) {
        this.huge = on;
    }

    /** Makes pushes answer HTTP 500 (an artifact that does not load). */
    public void failPushes(boolean fail) {
        this.failing = fail;
    }

    /** Waits (without sleeping) until a pushed table matches, up to {@code timeout}. */
    public RoutingTable awaitTable(Predicate<RoutingTable> match, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            RoutingTable t = received.poll(Math.max(left, 0), TimeUnit.MILLISECONDS);
            if (t == null) {
                throw new AssertionError(nodeId + " received no matching routing table within " + timeout);
            }
            if (match.test(t)) {
                return t;
            }
        }
    }

    public int pending() {
        return received.size();
    }

    public void clear() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop();
    }
}
