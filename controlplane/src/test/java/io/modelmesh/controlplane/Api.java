package io.modelmesh.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Raw HTTP against a control plane, for what the SDK does not expose (status codes, headers, node calls). Sends its
 * token as {@code Authorization: Bearer} unless the call gives its own Authorization header; on the node channel it
 * acts like a node: {@code POST /nodes/register} goes with the join token, and calls on {@code /nodes/{id}/...} with
 * the session that node got.
 */
public final class Api {
    public static final ObjectMapper JSON = Json.mapper();
    private static final java.util.regex.Pattern NODE_CALL = java.util.regex.Pattern.compile(
            "/nodes/([^/]+)/(heartbeat|outcomes|routing|credentials)");

    private final URI base;
    private final String token;
    private final String joinToken;
    private final Map<String, String> sessions;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** Without credentials (for the 401 cases). */
    public Api(URI base) {
        this(base, null, null, new java.util.concurrent.ConcurrentHashMap<>());
    }

    private Api(URI base, String token, String joinToken, Map<String, String> sessions) {
        this.base = base;
        this.token = token;
        this.joinToken = joinToken;
        this.sessions = sessions;
    }

    /** With the control plane's admin token, and its join token for the node channel. */
    public static Api admin(ControlPlane cp) {
        return new Api(cp.uri(), TestTokens.admin(cp), TestTokens.join(cp), new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** The same control plane with another token (node sessions are shared). */
    public Api as(String otherToken) {
        return new Api(base, otherToken, joinToken, sessions);
    }

    /** Another control plane on the same database, with the same tokens. */
    public Api on(ControlPlane other) {
        return new Api(other.uri(), token, joinToken, sessions);
    }

    /** The session a node registered through this helper got. */
    public String session(String nodeId) {
        return sessions.get(nodeId);
    }

    public HttpResponse<byte[]> get(String path, String... headers) {
        return send(builder(path, headers).GET().build());
    }

    public HttpResponse<byte[]> post(String path, Object jsonBody, String... headers) {
        HttpResponse<byte[]> res = send(builder(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(jsonBody))).build());
        if (path.equals("/nodes/register") && res.statusCode() == 200 && jsonBody instanceof NodeRegistration r) {
            sessions.put(r.nodeId(), read(res, HeartbeatReply.class).sessionToken());
        }
        return res;
    }

    public HttpResponse<byte[]> put(String path, Object jsonBody, String... headers) {
        return send(builder(path, headers).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(jsonBody))).build());
    }

    public HttpResponse<byte[]> delete(String path, String... headers) {
        return send(builder(path, headers).DELETE().build());
    }

    public HttpResponse<byte[]> postRaw(String path, String contentType, byte[] body, String... headers) {
        return send(builder(path, headers).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public <T> T read(HttpResponse<byte[]> res, Class<T> type) {
        try {
            return JSON.readValue(res.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName() + " from " + text(res), e);
        }
    }

    public ErrorBody error(HttpResponse<byte[]> res) {
        return read(res, ErrorBody.class);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(HttpResponse<byte[]> res) {
        return read(res, Map.class);
    }

    public static String text(HttpResponse<byte[]> res) {
        return new String(res.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder builder(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        boolean ownAuth = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            ownAuth |= headers[i].equalsIgnoreCase("Authorization");
        }
        String bearer = ownAuth ? null : credentialFor(path);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b;
    }

    private String credentialFor(String path) {
        if (token == null) {
            return null;
        }
        if (path.equals("/nodes/register")) {
            return joinToken;
        }
        java.util.regex.Matcher m = NODE_CALL.matcher(path);
        if (m.matches() && sessions.containsKey(m.group(1))) {
            return sessions.get(m.group(1));
        }
        return token;
    }

    private HttpResponse<byte[]> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Object body) {
        try {
            return body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
