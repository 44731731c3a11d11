package io.modelmesh.dataplane.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.Json;
import io.modelmesh.api.NodeCredentials;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.server.client.BoundedBody;
import io.modelmesh.api.security.PemTrust;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The node's calls to the control plane, on the node channel: joining with the join token, then everything else with
 * the session the join answered. Artifacts come only from {@code GET {controlPlane}/artifacts/{sha256}}: the node never
 * follows a URL it was given. Answers are read with a size limit.
 */
public final class ControlPlaneApi {
    /** A routing table names every model, version and artifact: generous, but bounded. */
    static final int MAX_TABLE_BYTES = 64 << 20;
    static final int MAX_ANSWER_BYTES = 4 << 20;

    private final URI base;
    private final String nodeId;
    private final NodeSession session;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();

    /** @param tls verifies an https control plane ({@code --tls-ca}; the JDK's trust store without one) */
    public ControlPlaneApi(URI base, String nodeId, NodeSession session, SSLContext tls) {
        this.base = base;
        this.nodeId = nodeId;
        this.session = session;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls).build();
    }

    /** Thrown when the control plane no longer knows this node's session (401): the node joins again. */
    public static final class SessionLostException extends IOException {
        SessionLostException(String message) {
            super(message);
        }
    }

    public URI base() {
        return base;
    }

    /** {@code POST /nodes/register} with the join token; the answer carries the node's new session. */
    public HeartbeatReply register(NodeRegistration r, String joinToken) throws IOException, InterruptedException {
        HttpRequest req = json("/nodes/register", r, joinToken);
        HeartbeatReply reply = json.readValue(send(req, "/nodes/register", MAX_ANSWER_BYTES), HeartbeatReply.class);
        if (reply.sessionToken() == null || reply.sessionToken().isBlank()) {
            throw new IOException("the control plane at " + base + " answered the join without a session token");
        }
        return reply;
    }

    public HeartbeatReply heartbeat(NodeHeartbeat h) throws IOException, InterruptedException {
        String path = nodePath("/heartbeat");
        return json.readValue(send(json(path, h, sessionToken()), path, MAX_ANSWER_BYTES), HeartbeatReply.class);
    }

    /** {@code POST /nodes/{id}/outcomes}; any 2xx (204 expected) means accepted. */
    public void outcomes(OutcomeReport report) throws IOException, InterruptedException {
        String path = nodePath("/outcomes");
        send(json(path, report, sessionToken()), path, MAX_ANSWER_BYTES);
    }

    /** This node's routing table ({@code GET /nodes/{id}/routing}). */
    public RoutingTable routing() throws IOException, InterruptedException {
        String path = nodePath("/routing");
        return json.readValue(send(get(path, Duration.ofSeconds(10)), path, MAX_TABLE_BYTES), RoutingTable.class);
    }

    /** The token hashes this node accepts ({@code GET /nodes/{id}/credentials}). */
    public NodeCredentials credentials() throws IOException, InterruptedException {
        String path = nodePath("/credentials");
        return json.readValue(send(get(path, Duration.ofSeconds(10)), path, MAX_TABLE_BYTES), NodeCredentials.class);
    }

    /** Streams an artifact into the store, verified against its sha256. */
    public Path download(String sha256, LocalStore store) throws IOException, InterruptedException {
        store.artifact(sha256); // validates the name before it becomes part of a URL
        String path = "/artifacts/" + sha256;
        HttpRequest req = get(path, Duration.ofMinutes(10));
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            check(res.statusCode(), path);
            return store.store(sha256, in);
        }
    }

    private String nodePath(String suffix) {
        return "/nodes/" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8) + suffix;
    }

    private String sessionToken() throws IOException {
        return session.token().orElseThrow(() -> new SessionLostException("this node has not joined " + base
                + " yet"));
    }

    private HttpRequest json(String path, Object body, String bearer) throws IOException {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
    }

    private HttpRequest get(String path, Duration timeout) throws IOException {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + sessionToken()).GET().build();
    }

    private byte[] send(HttpRequest req, String path, int limit) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = http.send(req, BoundedBody.ofByteArray(limit));
        check(res.statusCode(), path);
        return res.body();
    }

    private void check(int status, String path) throws IOException {
        if (status == 401 && !path.equals("/nodes/register")) {
            session.lost();
            throw new SessionLostException("control plane " + base + path + " no longer knows this node's session "
                    + "(HTTP 401); joining again");
        }
        if (status / 100 != 2) {
            throw new IOException("control plane " + base + path + " answered HTTP " + status
                    + (status == 401 || status == 403 ? " (check the join token: MM_JOIN_TOKEN or --join-token-file)"
                    : ""));
        }
    }
}
