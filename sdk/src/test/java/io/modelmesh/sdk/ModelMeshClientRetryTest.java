package io.modelmesh.sdk;

import com.sun.net.httpserver.HttpServer;
import io.modelmesh.api.DeployRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The client retrying reads and predictions, and nothing else, against scripted servers on real sockets. */
class ModelMeshClientRetryTest {
    private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5));
    private static final String PREDICTION = "{\"model\":\"m\",\"model_version\":\"1.0.0\",\"outputs\":{\"y\":1}}";
    private final List<HttpServer> servers = new ArrayList<>();

    /** A server answering its script in order (the last answer repeats), counting requests. */
    private final class Scripted {
        final Deque<String[]> script = new ConcurrentLinkedDeque<>();
        final AtomicInteger requests = new AtomicInteger();
        final URI uri;

        Scripted(String[]... answers) throws IOException {
            script.addAll(List.of(answers));
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                requests.incrementAndGet();
                String[] a = script.size() > 1 ? script.pollFirst() : script.peekFirst();
                byte[] bytes = a[1].getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                if (a.length > 2) {
                    ex.getResponseHeaders().add("Retry-After", a[2]);
                }
                ex.sendResponseHeaders(Integer.parseInt(a[0]), bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            });
            s.start();
            servers.add(s);
            uri = URI.create("http://127.0.0.1:" + s.getAddress().getPort());
        }
    }

    private static String[] ok(String body) {
        return new String[]{"200", body};
    }

    private static String[] error(int status, String code) {
        return new String[]{Integer.toString(status), "{\"status\":" + status + ",\"error\":\"" + code
                + "\",\"message\":\"" + code + "\"}", "1"};
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private static URI deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }

    private ModelMeshClient client(URI controlPlane, List<URI> nodes, RetryPolicy policy) {
        return ModelMeshClient.builder().controlPlane(controlPlane).dataPlanes(nodes).retryPolicy(policy).build();
    }

    @Test
    void aReadIsRetriedUntilItSucceedsWithinTheAttempts() throws Exception {
        Scripted cp = new Scripted(error(503, "unavailable"), error(502, "bad_gateway"),
                ok("{\"status\":\"UP\"}"));
        assertEquals("UP", client(cp.uri, List.of(), FAST).health().get("status"));
        assertEquals(3, cp.requests.get());

        Scripted down = new Scripted(error(503, "unavailable"));
        assertThrows(ModelMeshException.UnavailableException.class, () -> client(down.uri, List.of(), FAST).health());
        assertEquals(3, down.requests.get(), "three attempts, then the failure");
        Scripted none = new Scripted(error(503, "unavailable"));
        assertThrows(ModelMeshException.UnavailableException.class,
                () -> client(none.uri, List.of(), RetryPolicy.none()).health());
        assertEquals(1, none.requests.get());
    }

    @Test
    void answersALaterTryCannotChangeAndWritesAreNotRetried() throws Exception {
        Scripted cp = new Scripted(error(404, "not_found"));
        assertThrows(ModelMeshException.NotFoundException.class, () -> client(cp.uri, List.of(), FAST).model("x"));
        assertEquals(1, cp.requests.get());
        Scripted busy = new Scripted(error(503, "unavailable"));
        assertThrows(ModelMeshException.UnavailableException.class,
                () -> client(busy.uri, List.of(), FAST).deploy(new DeployRequest("m", "1.0.0")));
        assertEquals(1, busy.requests.get(), "a deploy may have happened: never sent twice");
    }

    @Test
    void callsGoToTheNextControlPlaneWhenOneCannotBeReachedAndStayWithTheOneThatAnswered() throws Exception {
        Scripted second = new Scripted(ok("{\"status\":\"UP\"}"));
        URI dead = deadPort();
        ModelMeshClient c = ModelMeshClient.builder().controlPlanes(List.of(dead, second.uri))
                .retryPolicy(RetryPolicy.none()).token("t").build();
        assertEquals(dead, c.controlPlane(), "the first given, before any call");
        assertEquals("UP", c.health().get("status"));
        assertEquals(second.uri, c.controlPlane(), "the one that answered");

        // a write that could not be sent (no connection) is sent to the next: it never reached the first
        Scripted deployed = new Scripted(ok("{\"id\":7,\"model\":\"m\",\"nodes_acked\":0,\"nodes_total\":0,"
                + "\"errors\":[]}"));
        ModelMeshClient w = ModelMeshClient.builder().controlPlanes(List.of(deadPort(), deployed.uri))
                .retryPolicy(RetryPolicy.none()).build();
        assertEquals(7, w.deploy(new DeployRequest("m", "1.0.0")).id());
        assertEquals(1, deployed.requests.get());

        // one that reached a control plane and failed there is not sent again anywhere
        Scripted failing = new Scripted(error(503, "unavailable"));
        Scripted other = new Scripted(ok("{}"));
        ModelMeshClient f = ModelMeshClient.builder().controlPlanes(List.of(failing.uri, other.uri))
                .retryPolicy(RetryPolicy.none()).build();
        assertThrows(ModelMeshException.UnavailableException.class, () -> f.deploy(new DeployRequest("m", "1.0.0")));
        assertEquals(0, other.requests.get());
        assertThrows(IllegalArgumentException.class, () -> ModelMeshClient.builder().controlPlanes(List.of()));
    }

    @Test
    void aPredictionGoesToAnotherNodeWhenOneCannotBeReachedOrIsShuttingDown() throws Exception {
        Scripted good = new Scripted(ok(PREDICTION));
        URI dead = deadPort();
        ModelMeshClient c = client(good.uri, List.of(dead, good.uri), FAST);
        for (int i = 0; i < 10; i++) {
            assertEquals("1.0.0", c.predict("m", null, "{\"inputs\":[1]}").modelVersion());
        }
        assertEquals(10, good.requests.get(), "every prediction answered by the live node");

        Scripted draining = new Scripted(error(503, "shutting_down"));
        Scripted other = new Scripted(ok(PREDICTION));
        ModelMeshClient d = client(other.uri, List.of(draining.uri, other.uri), FAST);
        for (int i = 0; i < 10; i++) {
            assertEquals("1.0.0", d.predict("m", null, "{\"inputs\":[1]}").modelVersion());
        }
        assertEquals(10, other.requests.get());
        assertEquals(1, draining.requests.get(), "a node shutting down is left out after its first refusal");
    }

    @Test
    void overloadIsRetriedOnAnotherNodeOnlyAndFailuresThatAreAnswersAreNot() throws Exception {
        Scripted only = new Scripted(error(429, "overloaded"));
        assertThrows(ModelMeshException.UnavailableException.class,
                () -> client(only.uri, List.of(only.uri), FAST).predict("m", null, "{\"inputs\":[1]}"));
        assertEquals(1, only.requests.get(), "not sent back to the node that is overloaded");

        Scripted busy = new Scripted(error(429, "overloaded"));
        Scripted free = new Scripted(ok(PREDICTION));
        ModelMeshClient c = client(free.uri, List.of(busy.uri, free.uri), FAST);
        for (int i = 0; i < 10; i++) {
            c.predict("m", null, "{\"inputs\":[1]}");
        }
        assertEquals(10, free.requests.get());

        Scripted broken = new Scripted(error(500, "inference_failed"));
        Scripted spare = new Scripted(ok(PREDICTION));
        ModelMeshException e = assertThrows(ModelMeshException.class, () -> client(spare.uri,
                List.of(broken.uri), FAST).predict("m", null, "{\"inputs\":[1]}"));
        assertEquals(500, e.status());
        assertEquals(1, broken.requests.get());
    }

    @Test
    void theRetryAfterOfARefusalIsKeptOnTheException() throws Exception {
        Scripted only = new Scripted(error(429, "overloaded"));
        ModelMeshException.UnavailableException e = assertThrows(ModelMeshException.UnavailableException.class,
                () -> client(only.uri, List.of(only.uri), FAST).predict("m", null, "{\"inputs\":[1]}"));
        assertEquals(1, e.retryAfterSeconds().orElseThrow());
    }
}
