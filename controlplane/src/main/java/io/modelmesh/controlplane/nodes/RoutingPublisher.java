package io.modelmesh.controlplane.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.security.PemTrust;
import io.modelmesh.controlplane.metrics.ControlPlaneMetrics;
import io.modelmesh.controlplane.store.NodeRecord;
import io.modelmesh.controlplane.store.NodeRepository;
import io.modelmesh.server.auth.PushSignature;
import io.modelmesh.server.client.BoundedBody;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends routing tables to nodes ({@code PUT {node}/internal/routing}) in parallel, waits for their {@link RoutingAck}s
 * (each bounded by the push timeout) and records the revision each node acknowledged.
 */
public final class RoutingPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RoutingPublisher.class.getName());
    static final String ROUTING_PATH = "/internal/routing";
    /** An acknowledgement is a few hundred bytes; a node answering more is not read further. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final NodeRepository nodes;
    private final ControlPlaneMetrics metrics;
    private final ObjectMapper json;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    public RoutingPublisher(NodeRepository nodes, ControlPlaneMetrics metrics, ObjectMapper json, Duration timeout) {
        this(nodes, metrics, json, timeout, PemTrust.sslContext(null));
    }

    /** @param tls verifies https nodes ({@code --tls-ca}; the JDK's trust store without one) */
    public RoutingPublisher(NodeRepository nodes, ControlPlaneMetrics metrics, ObjectMapper json, Duration timeout,
                            SSLContext tls) {
        this.nodes = nodes;
        this.metrics = metrics;
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5))
                .build();
    }

    /** Pushes {@code table} to every target and waits until each acknowledged, failed or timed out. */
    public PushReport push(RoutingTable table, List<NodeRecord> targets) {
        byte[] body = encode(table);
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (NodeRecord node : targets) {
            outcomes.add(pushOne(body, table.revision(), node));
        }
        int acked = 0;
        List<String> errors = new ArrayList<>();
        for (CompletableFuture<String> f : outcomes) {
            String error = f.join(); // never fails: pushOne maps every failure to a message
            if (error == null) {
                acked++;
            } else {
                errors.add(error);
            }
        }
        return new PushReport(table.revision(), acked, targets.size(), errors);
    }

    /** Pushes {@code table} to one node without waiting (catch-up of a node that registered behind). */
    public void pushInBackground(RoutingTable table, NodeRecord node) {
        byte[] body = encode(table);
        try {
            pushOne(body, table.revision(), node).thenAccept(error -> {
                if (error != null) {
                    LOG.info("catch-up push of revision " + table.revision() + " failed: " + error
                            + " (the node will fetch GET /routing when its heartbeat shows it behind)");
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(Level.FINE, "shutting down; catch-up push skipped", e);
        }
    }

    /**
     * Completes with null when the node acknowledged the revision, else with {@code "node-id: reason"}. The push is
     * signed with the node's push key, so the node knows it comes from its control plane.
     */
    private CompletableFuture<String> pushOne(byte[] body, long revision, NodeRecord node) {
        long start = System.nanoTime();
        if (node.pushKey() == null) {
            return CompletableFuture.completedFuture(node.nodeId() + ": has no session (it registered before this "
                    + "control plane authenticated nodes); it joins again with the join token at its next heartbeat");
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(NodeUrls.resolve(node.url(), ROUTING_PATH))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header(PushSignature.HEADER, PushSignature.sign(node.pushKey(), "PUT", ROUTING_PATH,
                            System.currentTimeMillis(), body))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(node.nodeId() + ": bad node URL '" + node.url() + "': "
                    + e.getMessage());
        }
        return http.sendAsync(request, BoundedBody.ofByteArray(MAX_ANSWER_BYTES))
                .orTimeout(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)
                .handle((response, failure) -> {
                    String error = failure != null ? node.nodeId() + ": " + describe(failure, node)
                            : interpret(response, revision, node);
                    metrics.push(error == null, (System.nanoTime() - start) / 1e9);
                    return error;
                });
    }

    private String interpret(HttpResponse<byte[]> response, long revision, NodeRecord node) {
        if (response.statusCode() / 100 != 2) {
            return node.nodeId() + ": HTTP " + response.statusCode() + " from " + response.uri() + ": "
                    + errorMessage(response.body());
        }
        RoutingAck ack;
        try {
            ack = json.readValue(response.body(), RoutingAck.class);
        } catch (IOException e) {
            return node.nodeId() + ": unreadable acknowledgement: " + e.getMessage();
        }
        try {
            nodes.recordAck(node.nodeId(), ack.servingRevision());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot record ack of " + node.nodeId(), e);
        }
        if (ack.applied() && ack.servingRevision() >= revision) {
            return null;
        }
        return node.nodeId() + ": did not apply revision " + revision + " (serves " + ack.servingRevision() + ")"
                + (ack.error() == null ? "" : ": " + ack.error());
    }

    private String errorMessage(byte[] body) {
        try {
            ErrorBody e = json.readValue(body, ErrorBody.class);
            if (e.message() != null) {
                return e.message();
            }
        } catch (IOException ignored) {
            // not our error shape
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private String describe(Throwable failure, NodeRecord node) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
            return "unreachable at " + node.url() + " (" + t.getClass().getSimpleName() + ")";
        }
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return "no acknowledgement within " + timeout.toSeconds() + " s";
        }
        return "push to " + node.url() + " failed: " + t;
    }

    private byte[] encode(RoutingTable table) {
        try {
            return json.writeValueAsBytes(table);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode routing table " + table.revision(), e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
