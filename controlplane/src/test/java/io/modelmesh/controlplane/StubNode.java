package io.modelmesh.controlplane;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.RevisionNotice;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.server.auth.PushSignature;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A stand-in data-plane node that follows the node protocol like a real one: it joins through an {@link Api} (which
 * keeps its session), answers a revision notice ({@code POST /internal/routing}) at once, then fetches its table
 * ({@code GET /nodes/{id}/routing}), records it, and acknowledges with a heartbeat carrying what it serves (a table of
 * its identity at or below the served revision changes nothing; another identity's is adopted).
 */
public final class StubNode implements AutoCloseable {
    private final String nodeId;
    private final BlockingQueue<RoutingTable> received = new LinkedBlockingQueue<>();
    private volatile RoutingTable serving = RoutingTable.empty();
    private volatile Map<String, String> failed = Map.of();
    private volatile boolean failing;
    private volatile boolean huge;
    private volatile boolean deaf;
    private volatile Api api;
    private volatile java.util.concurrent.ScheduledExecutorService beating;
    /** The signature header and body of the last notice (the test checks them with the node's session). */
    volatile String lastSignature;
    volatile byte[] lastBody;
    private final WebServer server;

    private StubNode(String nodeId) {
        this.nodeId = nodeId;
        this.server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/internal/routing", (req, res) -> {
                    RevisionNotice notice;
                    try (InputStream in = req.content().inputStream()) {
                        byte[] body = in.readAllBytes();
                        lastBody = body;
                        lastSignature = req.headers().first(HeaderNames.create(PushSignature.HEADER)).orElse(null);
                        notice = Api.JSON.readValue(body, RevisionNotice.class);
                    }
                    if (huge) {
                        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(new byte[10 << 20]);
                        return;
                    }
                    if (!deaf) {
                        Thread.ofVirtual().start(this::sync);
                    }
                    res.status(Status.ACCEPTED_202).header(HeaderNames.CONTENT_TYPE, "application/json")
                            .send(Api.JSON.writeValueAsBytes(new RoutingAck(nodeId, serving.revision(),
                                    serving.revision() >= notice.revision(), null)));
                }))
                .build().start();
    }

    public static StubNode start(String nodeId) {
        return new StubNode(nodeId);
    }

    /** Joins the control plane {@code through} talks to (its join token), and catches up if behind. */
    public HeartbeatReply join(Api through) {
        this.api = through;
        HttpResponse<byte[]> res = through.post("/nodes/register", new NodeRegistration(nodeId, url(),
                serving.revision(), serving.clusterId(), serving.epoch()));
        if (res.statusCode() != 200) {
            throw new AssertionError(nodeId + " could not join: " + Api.text(res));
        }
        HeartbeatReply reply = through.read(res, HeartbeatReply.class);
        if (behind(reply)) {
            Thread.ofVirtual().start(this::sync);
        }
        return reply;
    }

    /** Heartbeats with what it serves (what the test calls when it moves the clock on). */
    public HeartbeatReply heartbeat() {
        HttpResponse<byte[]> res = api.post("/nodes/" + nodeId + "/heartbeat", new NodeHeartbeat(nodeId,
                serving.revision(), serving.clusterId(), serving.epoch(), failed, 0L));
        if (res.statusCode() != 200) {
            throw new AssertionError(nodeId + " heartbeat answered " + res.statusCode() + ": " + Api.text(res));
        }
        return api.read(res, HeartbeatReply.class);
    }

    /**
     * Heartbeats every second from now on, like a real node (for tests on the real clock, where a silent node is
     * marked dead after 6 s); tests on a hand-driven clock heartbeat by hand instead.
     */
    public StubNode keepAlive() {
        beating = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        beating.scheduleAtFixedRate(() -> {
            try {
                heartbeat();
            } catch (RuntimeException | AssertionError e) {
                // the control plane is gone; the next beat tries again
            }
        }, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private boolean behind(HeartbeatReply reply) {
        return !serving.sameIdentity(reply.clusterId(), reply.epoch()) ? reply.latestRevision() > 0
                : reply.latestRevision() > serving.revision();
    }

    /** Fetches its table and acknowledges, as a node does after a notice. */
    private synchronized void sync() {
        HttpResponse<byte[]> res = api.get("/nodes/" + nodeId + "/routing");
        if (res.statusCode() != 200) {
            System.err.println(nodeId + ": fetching its table answered " + res.statusCode() + ": " + Api.text(res));
            return;
        }
        RoutingTable table = api.read(res, RoutingTable.class);
        boolean adopt = !table.sameIdentity(serving.clusterId(), serving.epoch());
        if (adopt || table.revision() > serving.revision()) {
            serving = table;
            failed = failing ? failedModels(table) : Map.of();
        }
        received.add(table);
        heartbeat();
    }

    private static Map<String, String> failedModels(RoutingTable table) {
        Map<String, String> out = new TreeMap<>();
        table.models().keySet().forEach(m -> out.put(m, "cannot load artifact"));
        return out;
    }

    public String nodeId() {
        return nodeId;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The revision it serves. */
    public long serving() {
        return serving.revision();
    }

    /** Answers notices with 10 MiB and never fetches (a hostile or broken node). */
    public void hugeAnswers(boolean on) {
        this.huge = on;
    }

    /** Acknowledges every revision with all its models failed (artifacts that do not load). */
    public void failPushes(boolean fail) {
        this.failing = fail;
    }

    /** Answers notices but never fetches nor acknowledges (a node that hangs). */
    public void deaf(boolean on) {
        this.deaf = on;
    }

    /** Waits (without sleeping) until a fetched table matches, up to {@code timeout}. */
    public RoutingTable awaitTable(Predicate<RoutingTable> match, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            RoutingTable t = received.poll(Math.max(left, 0), TimeUnit.MILLISECONDS);
            if (t == null) {
                throw new AssertionError(nodeId + " fetched no matching routing table within " + timeout);
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
        if (beating != null) {
            beating.shutdownNow();
        }
        server.stop();
    }
}
