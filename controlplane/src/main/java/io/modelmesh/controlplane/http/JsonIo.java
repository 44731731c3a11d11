package io.modelmesh.controlplane.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.PayloadTooLargeException;
import io.modelmesh.server.http.MediaTypes;
import io.modelmesh.server.io.ReadWatchdog;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.OptionalLong;

/**
 * Reads JSON request bodies and writes JSON responses. A body is bounded before anything is allocated for it: a
 * Content-Length over the limit is refused unread, and the bytes are read as they arrive (the JDK's readNBytes grows
 * its buffer chunk by chunk) up to the limit, each read ended by the {@link ReadWatchdog} when the client stalls.
 */
public final class JsonIo {
    /** Largest JSON body accepted (registrations are multipart, so JSON bodies are small). */
    static final int MAX_JSON_BYTES = 1024 * 1024;

    private final ObjectMapper json;
    private final ReadWatchdog watchdog;

    public JsonIo(ObjectMapper json, ReadWatchdog watchdog) {
        this.json = json;
        this.watchdog = watchdog;
    }

    /**
     * Parses the request body.
     *
     * @throws InvalidInputException when it is missing or not valid JSON for {@code type}
     * @throws io.modelmesh.server.errors.UnsupportedMediaTypeException when it is not declared as JSON (415)
     */
    public <T> T read(ServerRequest req, Class<T> type) {
        if (!req.content().hasEntity()) {
            throw new InvalidInputException("the request needs a JSON body (Content-Type: application/json)");
        }
        MediaTypes.requireJson(req);
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_JSON_BYTES) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = watchdog.guard(req.content().inputStream())) {
            body = in.readNBytes(MAX_JSON_BYTES + 1);
        } catch (SocketTimeoutException e) {
            throw new InvalidInputException(e.getMessage(), e); // the connection is gone; no 500 for a quiet client
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the request body: " + e.getMessage(), e);
        }
        if (body.length > MAX_JSON_BYTES) {
            throw tooLarge();
        }
        return parse(body, type);
    }

    private static PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("JSON bodies are limited to " + MAX_JSON_BYTES + " bytes");
    }

    <T> T parse(byte[] body, Class<T> type) {
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new InvalidInputException("the JSON body is null; expected an object");
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new InvalidInputException("malformed JSON body: " + e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the JSON body: " + e.getMessage(), e);
        }
    }

    public void send(ServerResponse res, Status status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + body.getClass().getSimpleName() + " as JSON", e);
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes);
    }

    public void ok(ServerResponse res, Object body) {
        send(res, Status.OK_200, body);
    }
}
