package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.modelmesh.dataplane.inference.InputBinding;
import io.modelmesh.dataplane.inference.ParsedInput;
import io.modelmesh.dataplane.inference.PredictionRequest;
import io.modelmesh.dataplane.inference.RowParser;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.api.Durations;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A prediction request read from HTTP: headers looked up by name (names interned once), body parsed on demand. */
abstract sealed class HttpPredictionRequest implements PredictionRequest {
    /** Header names seen in routes' sticky keys: a handful, created once each. */
    private static final Map<String, HeaderName> NAMES = new ConcurrentHashMap<>();
    /** The deadline a caller asks for; it can shorten the version's, never lengthen it. */
    static final HeaderName TIMEOUT = HeaderNames.create("X-Request-Timeout");

    private final ServerRequestHeaders headers;
    private final String requestId;
    final int maxRows;

    HttpPredictionRequest(ServerRequestHeaders headers, String requestId, int maxRows) {
        this.headers = headers;
        this.requestId = requestId;
        this.maxRows = maxRows;
    }

    @Override
    public String header(String name) {
        HeaderName h = NAMES.get(name);
        if (h == null) {
            h = NAMES.computeIfAbsent(name, HeaderNames::create);
        }
        return headers.contains(h) ? headers.get(h).get() : null;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    /** {@code X-Request-Timeout}: {@code 250ms}, {@code 2s}, or a plain number of seconds, like Retry-After. */
    @Override
    public Duration timeout() {
        if (!headers.contains(TIMEOUT)) {
            return null;
        }
        String value = headers.get(TIMEOUT).get();
        long ms = Durations.millis(value).orElse(0L);
        if (ms < 1) {
            throw new InvalidInputException(TIMEOUT.defaultCase() + " must be a positive duration such as 250ms or 2s "
                    + "(a plain number is seconds), got '" + value + "'");
        }
        return Duration.ofMillis(ms);
    }

    /** A {@code /predict} body: {@code inputs} or {@code instances}. */
    static final class Rows extends HttpPredictionRequest {
        private final RequestBody body;

        Rows(ServerRequestHeaders headers, String requestId, RequestBody body, int maxRows) {
            super(headers, requestId, maxRows);
            this.body = body;
        }

        @Override
        public ParsedInput parse(InputBinding binding) {
            return RowParser.parse(body.bytes(), binding, maxRows);
        }

        @Override
        public String bodyText() {
            return new String(body.bytes(), StandardCharsets.UTF_8);
        }

        @Override
        public Runnable retain() {
            return body.retain();
        }
    }

    /** An Open Inference Protocol v2 infer body. */
    static final class Oip extends HttpPredictionRequest {
        private final JsonNode body;
        private final RequestBody raw;

        Oip(ServerRequestHeaders headers, String requestId, JsonNode body, RequestBody raw, int maxRows) {
            super(headers, requestId, maxRows);
            this.body = body;
            this.raw = raw;
        }

        @Override
        public Runnable retain() {
            return raw.retain(); // the parsed tree lives as long as the bytes it came from are counted
        }

        @Override
        public ParsedInput parse(InputBinding binding) {
            return OipCodec.parse(body, binding, maxRows);
        }

        @Override
        public String bodyText() {
            return body.toString();
        }
    }
}
