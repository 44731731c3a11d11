package io.modelmesh.controlplane.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbClientException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.server.errors.ApiException;
import io.modelmesh.server.errors.RateLimitedException;
import io.modelmesh.server.errors.UnauthorizedException;
import io.modelmesh.server.http.Connections;
import io.modelmesh.server.http.RequestIdSource;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one place where exceptions become HTTP statuses and the {@link ErrorBody} shape. */
public final class ErrorHandlers {
    private static final Logger LOG = Logger.getLogger(ErrorHandlers.class.getName());

    private final ObjectMapper json;

    private ErrorHandlers(ObjectMapper json) {
        this.json = json;
    }

    public static void register(HttpRouting.Builder routing, ObjectMapper json) {
        ErrorHandlers h = new ErrorHandlers(json);
        routing.error(ApiException.class, (req, res, e) -> {
            if (e instanceof UnauthorizedException) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"modelmesh\"");
            } else if (e instanceof RateLimitedException limited) {
                res.header(HeaderNames.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()));
            }
            h.send(req, res, e.status(), e.code(), e.getMessage(), e.details());
        });
        routing.error(HttpException.class, (req, res, e) -> h.send(req, res, e.status().code(),
                "http_" + e.status().code(), e.getMessage()));
        routing.error(DbClientException.class, h::database);
        routing.error(Exception.class, h::internal);
    }

    private void database(ServerRequest req, ServerResponse res, DbClientException e) {
        if (isUniqueViolation(e)) {
            send(req, res, 409, "conflict", "a concurrent request changed the same entry (" + rootMessage(e)
                    + "); read the current state and retry");
            return;
        }
        if (isConnectionFailure(e)) {
            LOG.log(Level.WARNING, "database unreachable: " + e.getMessage());
            send(req, res, 503, "unavailable", "the database is unreachable (" + rootMessage(e) + "); retry later "
                    + "or check mmctl status (GET /health)");
            return;
        }
        internal(req, res, e);
    }

    private void internal(ServerRequest req, ServerResponse res, Exception e) {
        String given = RequestIds.of(req);
        String requestId = given != null ? given : RequestIdSource.next(); // one to quote, matching the log line
        LOG.log(Level.SEVERE, "unexpected failure of " + req.prologue().method().text() + " " + req.path().path()
                + " (request " + requestId + ")", e);
        send(req, res, 500, "internal", "the control plane failed: " + e.getClass().getSimpleName()
                + " (details in the control plane log under the request id)", null, requestId);
    }

    private void send(ServerRequest req, ServerResponse res, int status, String code, String message) {
        send(req, res, status, code, message, null);
    }

    private void send(ServerRequest req, ServerResponse res, int status, String code, String message,
                      List<ErrorDetail> details) {
        send(req, res, status, code, message, details, RequestIds.of(req));
    }

    private void send(ServerRequest req, ServerResponse res, int status, String code, String message,
                      List<ErrorDetail> details, String requestId) {
        if (res.isSent()) {
            LOG.log(Level.WARNING, "error after the response was sent: " + message);
            return;
        }
        Connections.closeIfBodyUnread(req, res);
        byte[] body;
        try {
            body = json.writeValueAsBytes(new ErrorBody(status, code, message, requestId, details));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = ("{\"status\":" + status + ",\"error\":\"" + code + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (requestId != null) {
            res.header(RequestIds.HEADER, requestId); // the routing reset dropped what the filter set
        }
        res.send(body);
    }

    /** Whether a database failure is "cannot reach it" (503) rather than a bug (500). */
    static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && (sql.getSQLState().startsWith("08")
                    || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** A unique constraint (SQLSTATE 23505) refused a write another request made first. */
    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
