package io.modelmesh.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP against a control plane, for what the SDK does not expose (status codes, headers, node calls). */
public final class Api {
    public static final ObjectMapper JSON = Json.mapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public Api(URI base) {
        this.base = base;
    }

    public HttpResponse<byte[]> get(String path, String... headers) {
        return send(builder(path, headers).GET().build());
    }

    public HttpResponse<byte[]> post(String path, Object jsonBody, String... headers) {
        return send(builder(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(jsonBody))).build());
    }

    public HttpResponse<byte[]> delete(String path, String... headers) {
        return send(builder(path, headers).DELETE().build());
    }

    public HttpResponse<byte[]> postRaw(String path, String contentType, byte[] body) {
        return send(builder(path).header("Content-Type", contentType)
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
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
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
