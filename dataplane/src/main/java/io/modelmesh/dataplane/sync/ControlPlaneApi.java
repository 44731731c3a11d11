package io.modelmesh.dataplane.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.Json;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.security.PemTrust;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The node's calls to the control plane. Artifacts come only from {@code GET {controlPlane}/artifacts/{sha256}}: the
 * node never follows a URL it was given.
 */
public final class ControlPlaneApi {
    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();

    public ControlPlaneApi(URI base) {
        this(base, PemTrust.sslContext(null));
    }

    /** @param tls verifies an https control plane ({@code --tls-ca}; the JDK's trust store without one) */
    public ControlPlaneApi(URI base, SSLContext tls) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls).build();
    }

    public URI base() {
        return base;
    }

    public HeartbeatReply register(NodeRegistration r) throws IOException, InterruptedException {
        return post("/nodes/register", r, HeartbeatReply.class);
    }

    public HeartbeatReply heartbeat(NodeHeartbeat h) throws IOException, InterruptedException {
        return post("/nodes/" + h.nodeId() + "/heartbeat", h, HeartbeatReply.class);
    }

    /** {@code POST /nodes/{id}/outcomes}; any 2xx (204 expected) means accepted. */
    public void outcomes(OutcomeReport report) throws IOException, InterruptedException {
        String path = "/nodes/" + report.nodeId() + "/outcomes";
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(report))).build();
        HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() / 100 != 2) {
            throw new IOException("control plane " + base + path + " answered HTTP " + res.statusCode());
        }
    }

    public RoutingTable routing() throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/routing")).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        check(res.statusCode(), "/routing");
        return json.readValue(res.body(), RoutingTable.class);
    }

    /** Streams an artifact into the store, verified against its sha256. */
    public Path download(String sha256, LocalStore store) throws IOException, InterruptedException {
        store.artifact(sha256); // validates the name before it becomes part of a URL
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/artifacts/" + sha256))
                .timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            check(res.statusCode(), "/artifacts/" + sha256);
            return store.store(sha256, in);
        }
    }

    private <T> T post(String path, Object body, Class<T> type) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        check(res.statusCode(), path);
        return json.readValue(res.body(), type);
    }

    private void check(int status, String path) throws IOException {
        if (status != 200 && status != 201) {
            throw new IOException("control plane " + base + path + " answered HTTP " + status);
        }
    }
}
