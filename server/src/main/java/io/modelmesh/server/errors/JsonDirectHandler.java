package io.modelmesh.server.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.Json;

import java.nio.charset.StandardCharsets;

/**
 * The answer to what fails before routing (a malformed request line or header, a header block over its limit) or
 * outside every error handler: the same JSON {@link ErrorBody} as the servers' error handlers instead of Helidon's
 * plain text. The request id is the caller's {@code X-Request-ID} when the headers were read.
 */
public final class JsonDirectHandler implements DirectHandler {
    private static final int MAX_ID = 128;
    private static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-ID");

    private JsonDirectHandler() {
    }

    /** Direct handlers of every event type answering JSON; for {@code WebServer.builder().directHandlers(...)}. */
    public static DirectHandlers all() {
        JsonDirectHandler h = new JsonDirectHandler();
        DirectHandlers.Builder b = DirectHandlers.builder();
        for (EventType t : EventType.values()) {
            b.addHandler(t, h);
        }
        return b.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String id = request.headers().first(REQUEST_ID).map(String::trim)
                .filter(s -> !s.isEmpty() && s.length() <= MAX_ID).orElse(null);
        String text = switch (eventType) {
            case INTERNAL_ERROR -> "the server failed to answer this request (details in its log)";
            default -> message == null || message.isBlank() ? status.reasonPhrase() : message;
        };
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(new ErrorBody(status.code(), code(eventType, status), text, id));
        } catch (JsonProcessingException e) {
            body = ("{\"status\":" + status.code() + ",\"error\":\"internal\"}").getBytes(StandardCharsets.UTF_8);
        }
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        if (id != null) {
            headers.set(REQUEST_ID, id);
        }
        return TransportResponse.builder().status(status).headers(headers).keepAlive(eventType.keepAlive())
                .entity(body).build();
    }

    static String code(EventType type, Status status) {
        return switch (type) {
            case BAD_REQUEST -> "invalid_request";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case FORBIDDEN -> "forbidden";
            case INTERNAL_ERROR -> "internal";
            case OTHER -> status.code() >= 500 ? "internal" : "http_" + status.code();
        };
    }
}
