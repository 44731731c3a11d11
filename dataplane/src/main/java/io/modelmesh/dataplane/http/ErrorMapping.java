package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.Json;
import io.modelmesh.dataplane.InjectedFaultException;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.PayloadTooLargeException;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.dataplane.batching.QueueFullException;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.server.errors.ApiException;
import io.modelmesh.server.errors.RetryAfter;
import io.modelmesh.server.errors.ShuttingDownException;
import io.modelmesh.server.errors.UnauthorizedException;
import io.modelmesh.server.http.Connections;
import io.modelmesh.server.observe.RequestTelemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * The one place exceptions become HTTP statuses. ModelMesh routes answer {@link ErrorBody}; Open Inference Protocol
 * routes answer the protocol's {@code {"error": message}} (plus our fields), since OIP clients read {@code error}.
 */
final class ErrorMapping {
    private static final Logger LOG = System.getLogger(ErrorMapping.class.getName());
    private static final ObjectMapper JSON = Json.mapper();

    private ErrorMapping() {
    }

    static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> {
            if (e instanceof UnauthorizedException) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"modelmesh\"");
            }
            if (e instanceof RetryAfter later) { // over a rate limit, overloaded, past a deadline, shutting down
                res.header(HeaderNames.RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
            }
            if (e instanceof ShuttingDownException) {
                res.header(HeaderNames.CONNECTION, "close"); // a keep-alive client reconnects, to another node
            }
            send(req, res, Status.create(e.status()), e.code(), e.getMessage());
        });
        routing.error(InvalidInputException.class, (req, res, e) -> send(req, res, Status.BAD_REQUEST_400, "invalid_input", e.getMessage()))
                .error(IllegalArgumentException.class, (req, res, e) -> send(req, res, Status.BAD_REQUEST_400, "invalid_input", e.getMessage()))
                .error(PayloadTooLargeException.class, (req, res, e) -> send(req, res, Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large", e.getMessage()))
                .error(NotFoundException.class, (req, res, e) -> send(req, res, Status.NOT_FOUND_404, "not_found", e.getMessage()))
                .error(UnavailableException.class, (req, res, e) -> {
                    // transient by nature (a full batching queue, a switch in progress): say when to come back
                    res.header("Retry-After", "1");
                    send(req, res, Status.SERVICE_UNAVAILABLE_503,
                            e instanceof QueueFullException ? "overloaded" : "unavailable", e.getMessage());
                })
                .error(InjectedFaultException.class, (req, res, e) -> send(req, res, Status.INTERNAL_SERVER_ERROR_500, "injected_fault", e.getMessage()))
                .error(InferenceException.class, (req, res, e) -> {
                    LOG.log(Level.ERROR, "inference failed on " + req.path().absolute().path(), e);
                    send(req, res, Status.INTERNAL_SERVER_ERROR_500, "inference_failed", e.getMessage());
                })
                // Helidon's own (a malformed query, a header it refuses): their status, our shape
                .error(HttpException.class, (req, res, e) -> send(req, res, e.status(), "http_" + e.status().code(),
                        e.getMessage()))
                // anything else is a bug: the stack trace goes to the log, the caller gets the request id to quote
                .error(Exception.class, (req, res, e) -> {
                    String id = RequestIds.current(req, res);
                    if (id == null) {
                        id = RequestIds.of(req, res); // a new one, on the response, to match the log line
                    }
                    LOG.log(Level.ERROR, "unexpected failure of " + req.prologue().method().text() + " "
                            + req.path().absolute().path() + (id == null ? "" : " (request " + id + ")"), e);
                    send(req, res, Status.INTERNAL_SERVER_ERROR_500, "internal", "the node failed: "
                            + e.getClass().getSimpleName() + " (details in the node's log under its request id)");
                });
    }

    private static Map<String, Object> oip(String message, String code, int status, String id) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("error", message);
        m.put("code", code);
        m.put("status", status);
        if (id != null) {
            m.put("request_id", id);
        }
        return m;
    }

    static void send(ServerRequest req, ServerResponse res, Status status, String code, String message) {
        String id = RequestIds.current(req, res);
        if (id != null) {
            res.header(RequestIds.HEADER, id); // an error handler answers on a reset response
        }
        String path = req.path().absolute().path();
        if ((path.startsWith("/predict/") || path.startsWith("/v2/models/") || path.startsWith("/v1/models/"))
                && req.prologue().method().text()
                .equals("POST")) {
            RequestTelemetry.answer(req, res); // a failed prediction carries one too (the reset dropped the handler's)
        }
        Connections.closeIfBodyUnread(req, res);
        Object body = path.startsWith("/v2")
                ? oip(message, code, status.code(), id)
                : new ErrorBody(status.code(), code, message, id);
        try {
            Responses.json(res, status, JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
