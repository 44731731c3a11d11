package io.modelmesh.controlplane.nodes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.Timeout;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.RevisionNotice;
import io.modelmesh.controlplane.store.NodeRecord;
import io.modelmesh.api.trace.TraceParent;
import io.modelmesh.server.auth.PushSignature;
import io.modelmesh.server.observe.RequestTelemetry;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Tells nodes that a revision exists ({@code POST {node}/internal/routing}, a signed notice of a few dozen bytes that a
 * node answers at once). Each call has a time limit (Helidon fault tolerance {@link Timeout} around the exchange, on
 * top of the HTTP client's own) and goes through a {@link Bulkhead}: at most {@link #PARALLEL} notices are in
 * flight, {@link #QUEUE} more wait, the rest are refused at once. A slow or hostile node can hold one virtual thread for
 * at most the time limit and never a control-plane request: nodes that miss a notice learn of the revision from their next
 * heartbeat.
 */
public final class RevisionNotifier implements AutoCloseable {
    static final String PATH = "/internal/routing";
    /** A node's answer is a few hundred bytes; more is not read. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    static final int PARALLEL = 32;
    static final int QUEUE = 4_096;
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** How one notice went: delivered, or why not (unreachable nodes are not waited for). */
    public record Delivery(NodeRecord node, String error, boolean unreachable) {
        public boolean delivered() {
            return error == null;
        }
    }

    private final ObjectMapper json;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final Bulkhead bulkhead = Bulkhead.builder().name("revision-notices").limit(PARALLEL).queueLength(QUEUE)
            .build();
    private final Timeout limit;

    /** @param tls verifies https nodes ({@code --tls-ca}; the JDK's trust store without one) */
    public RevisionNotifier(ObjectMapper json, Duration pushTimeout, SSLContext tls) {
        this.json = json;
        this.timeout = pushTimeout.compareTo(TIMEOUT) < 0 ? pushTimeout : TIMEOUT;
        this.limit = Timeout.builder().name("revision-notice").timeout(timeout).currentThread(true).build();
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .executor(executor)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** Sends the notice to every target, each on its own virtual thread; completes when all answered or timed out. */
    public CompletableFuture<List<Delivery>> notifyAll(RevisionNotice notice, List<NodeRecord> targets) {
        byte[] body = encode(notice);
        // the request that changed the routing (a deploy, a rollback) carries its trace on to the nodes
        TraceParent trace = RequestTelemetry.outgoing();
        List<CompletableFuture<Delivery>> each = new ArrayList<>();
        for (NodeRecord node : targets) {
            try {
                each.add(CompletableFuture.supplyAsync(() -> deliver(body, node, trace), executor));
            } catch (RejectedExecutionException e) {
                each.add(CompletableFuture.completedFuture(new Delivery(node, node.nodeId() + ": not notified: the "
                        + "control plane is stopping", false)));
            }
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
    }

    private Delivery deliver(byte[] body, NodeRecord node, TraceParent trace) {
        if (node.pushKey() == null) {
            return new Delivery(node, node.nodeId() + ": has no session (it registered before this control plane "
                    + "authenticated nodes); it joins again with the join token at its next heartbeat", false);
        }
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(NodeUrls.resolve(node.url(), PATH))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header(PushSignature.HEADER, PushSignature.sign(node.pushKey(), "POST", PATH,
                            System.currentTimeMillis(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (trace != null) {
                builder.header(TraceParent.HEADER, trace.header());
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return new Delivery(node, node.nodeId() + ": bad node URL '" + node.url() + "': " + e.getMessage(), true);
        }
        try {
            HttpResponse<byte[]> res = bulkhead.invoke(() -> limit.invoke(() -> send(request)));
            if (res.statusCode() / 100 == 2) {
                return new Delivery(node, null, false);
            }
            return new Delivery(node, node.nodeId() + ": the notice was answered HTTP " + res.statusCode() + ": "
                    + errorMessage(res.body()), false);
        } catch (BulkheadException e) {
            return new Delivery(node, node.nodeId() + ": not notified: " + (PARALLEL + QUEUE) + " notices are already "
                    + "under way (it learns of the revision from its next heartbeat)", false);
        } catch (io.helidon.faulttolerance.TimeoutException e) {
            return new Delivery(node, node.nodeId() + ": no answer to the notice within " + timeout.toMillis() + " ms",
                    false);
        } catch (Unreachable e) {
            return new Delivery(node, node.nodeId() + ": unreachable at " + node.url() + " (" + e.getMessage() + ")",
                    true);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Delivery(node, node.nodeId() + ": the notice to " + node.url() + " failed: " + cause, false);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, BoundedBody.ofByteArray(MAX_ANSWER_BYTES));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new Unreachable(e.getClass().getSimpleName());
        } catch (HttpTimeoutException e) {
            throw new io.helidon.faulttolerance.TimeoutException("no answer", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.helidon.faulttolerance.TimeoutException("interrupted", e);
        }
    }

    /** The node refused the connection or did not accept it in time: it is down, and not waited for. */
    private static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message, null, false, false);
        }
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

    private byte[] encode(RevisionNotice notice) {
        try {
            return json.writeValueAsBytes(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a revision notice", e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
