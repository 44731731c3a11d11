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
import java.util.List;

/**
 * The node's calls to its control planes, on the node channel: joining with the join token, then everything else with
 * the session the join answered (every control plane of a cluster knows it: sessions live in their shared database).
 * Each call goes through the {@link ControlPlaneChannel} (retries with backoff, time limits, a circuit breaker per
 * control plane, fail-over between them). Artifacts come only from {@code GET {controlPlane}/artifacts/{sha256}}: the
 * node never follows a URL it was given. Answers are read with a size limit.
 */
public final class ControlPlaneApi {
    /** A routing table names every model, version and artifact: generous, but bounded. */
    static final int MAX_TABLE_BYTES = 64 << 20;
    static final int MAX_ANSWER_BYTES = 4 << 20;
    static final String REGISTER = "/nodes/register";

    private final ControlPlaneChannel channel;
    private final String nodeId;
    private final NodeSession session;
    private final HttpClient http;
    private final Duration downloadLimit;
    private final ObjectMapper json = Json.mapper();

    /**
     * @param bases         the control planes, in order of preference
     * @param tls           verifies an https control plane ({@code --tls-ca}; the JDK's trust store without one)
     * @param downloadLimit the longest an artifact download may take in all (the preparation time limit)
     */
    public ControlPlaneApi(List<URI> bases, String nodeId, NodeSession session, SSLContext tls,
                           Duration downloadLimit) {
        this.channel = new ControlPlaneChannel(bases);
        this.nodeId = nodeId;
        this.session = session;
        this.downloadLimit = downloadLimit;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls).build();
    }

    /** Thrown when the control plane no longer knows this node's session (401): the node joins again. */
    public static final class SessionLostException extends IOException {
        SessionLostException(String message) {
            super(message);
        }
    }

    /** Thrown when a control plane refused a call for good (another 4xx): trying again would get the same answer. */
    public static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** The control plane calls go to first now (the one that answered last). */
    public URI base() {
        return channel.current();
    }

    /** {@code POST /nodes/register} with the join token; the answer carries the node's new session. */
    public HeartbeatReply register(NodeRegistration r, String joinToken) throws IOException, InterruptedException {
        HeartbeatReply reply = channel.call(ControlPlaneChannel.SMALL, base -> json.readValue(
                send(post(base, REGISTER, r, joinToken), base, REGISTER, MAX_ANSWER_BYTES), HeartbeatReply.class));
        if (reply.sessionToken() == null || reply.sessionToken().isBlank()) {
            throw new IOException("the control plane at " + base() + " answered the join without a session token");
        }
        return reply;
    }

    /** {@code POST /nodes/{id}/heartbeat}: also the acknowledgement of what the node serves. */
    public HeartbeatReply heartbeat(NodeHeartbeat h) throws IOException, InterruptedException {
        String path = nodePath("/heartbeat");
        return channel.call(ControlPlaneChannel.SMALL, base -> json.readValue(
                send(post(base, path, h, sessionToken()), base, path, MAX_ANSWER_BYTES), HeartbeatReply.class));
    }

    /**
     * {@code POST /nodes/{id}/outcomes}; any 2xx (204 expected) means accepted.
     *
     * @throws RefusedException when the control plane refused the report (it never will accept it)
     */
    public void outcomes(OutcomeReport report) throws IOException, InterruptedException {
        String path = nodePath("/outcomes");
        channel.call(ControlPlaneChannel.SMALL, base -> send(post(base, path, report, sessionToken()), base, path,
                MAX_ANSWER_BYTES));
    }

    /** This node's routing table ({@code GET /nodes/{id}/routing}). */
    public RoutingTable routing() throws IOException, InterruptedException {
        String path = nodePath("/routing");
        return channel.call(ControlPlaneChannel.TABLE, base -> json.readValue(
                send(get(base, path, ControlPlaneChannel.TABLE.attemptTimeout()), base, path, MAX_TABLE_BYTES),
                RoutingTable.class));
    }

    /**
     * A registered version (or alias) this node may load for a preview call ({@code GET
     * /nodes/{id}/versions/{model}/{version}}).
     *
     * @throws RefusedException when the control plane does not know it (404)
     */
    public io.modelmesh.api.ModelVersion version(String model, String version)
            throws IOException, InterruptedException {
        String path = nodePath("/versions/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
                + "/" + URLEncoder.encode(version, StandardCharsets.UTF_8).replace("+", "%20"));
        return channel.call(ControlPlaneChannel.SMALL, base -> json.readValue(
                send(get(base, path, ControlPlaneChannel.SMALL.attemptTimeout()), base, path, MAX_TABLE_BYTES),
                io.modelmesh.api.ModelVersion.class));
    }

    /** The token hashes this node accepts ({@code GET /nodes/{id}/credentials}). */
    public NodeCredentials credentials() throws IOException, InterruptedException {
        String path = nodePath("/credentials");
        return channel.call(ControlPlaneChannel.SMALL, base -> json.readValue(
                send(get(base, path, ControlPlaneChannel.SMALL.attemptTimeout()), base, path, MAX_TABLE_BYTES),
                NodeCredentials.class));
    }

    /** Streams an artifact into the store, verified against its sha256; retried from the start on another failure. */
    public Path download(String sha256, LocalStore store) throws IOException, InterruptedException {
        store.artifact(sha256); // validates the name before it becomes part of a URL
        String path = "/artifacts/" + sha256;
        return channel.call(ControlPlaneChannel.TABLE, downloadLimit, downloadLimit, base -> {
            HttpResponse<InputStream> res = http.send(get(base, path, downloadLimit),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) {
                check(res.statusCode(), base, path);
                return store.store(sha256, in);
            }
        });
    }

    private String nodePath(String suffix) {
        return "/nodes/" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8) + suffix;
    }

    private String sessionToken() throws IOException {
        return session.token().orElseThrow(() -> new SessionLostException("this node has not joined " + base()
                + " yet"));
    }

    private HttpRequest post(URI base, String path, Object body, String bearer) throws IOException {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(ControlPlaneChannel.SMALL.attemptTimeout())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
    }

    private HttpRequest get(URI base, String path, Duration timeout) throws IOException {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + sessionToken()).GET().build();
    }

    private byte[] send(HttpRequest req, URI base, String path, int limit) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = http.send(req, BoundedBody.ofByteArray(limit));
        check(res.statusCode(), base, path);
        return res.body();
    }

    /**
     * 2xx passes; 401 on a session call means the session is gone (join again); another 4xx is a final refusal;
     * a 5xx is a failure of that control plane, tried again (maybe elsewhere).
     */
    private void check(int status, URI base, String path) throws IOException {
        if (status / 100 == 2) {
            return;
        }
        String where = "control plane " + base + path;
        if (status == 401 && !path.equals(REGISTER)) {
            session.lost();
            throw new SessionLostException(where + " no longer knows this node's session (HTTP 401); joining again");
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
            throw new RefusedException(where + " answered HTTP " + status + (status == 401 || status == 403
                    ? " (check the join token: MM_JOIN_TOKEN or --join-token-file)" : ""));
        }
        throw new IOException(where + " answered HTTP " + status);
    }
}
