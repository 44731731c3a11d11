package io.modelmesh.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP server (JDK httpserver) standing in for a control plane or data-plane node: each "METHOD /path" gets a
 * canned status and JSON body; requests are recorded for assertions.
 */
public final class FakeServer implements AutoCloseable {
    public record Request(String method, String path, String query, String body, Map<String, List<String>> headers) {
        /** The first value of a request header (any case), or null. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code method path} (path without query) with {@code status} and {@code json}. */
    public FakeServer on(String method, String path, int status, String json) {
        answers.put(method + " " + path, new Answer(status, json));
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request last(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + method + " " + path + " in " + requests));
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        URI u = ex.getRequestURI();
        requests.add(new Request(ex.getRequestMethod(), u.getPath(), u.getQuery(), body,
                Map.copyOf(ex.getRequestHeaders())));
        Answer a = answers.getOrDefault(ex.getRequestMethod() + " " + u.getPath(), new Answer(404,
                "{\"status\":404,\"error\":\"not_found\",\"message\":\"no route " + u.getPath() + "\"}"));
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
