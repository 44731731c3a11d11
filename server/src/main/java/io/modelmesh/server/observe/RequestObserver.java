package io.modelmesh.server.observe;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.trace.TraceParent;
import io.modelmesh.server.http.RouteTag;

import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The request log and the server spans of either server, from one filter. Every request whose answer is a 4xx or 5xx,
 * and every request that took at least the slow threshold, is logged under {@code io.modelmesh.request} with its
 * request id, trace id, method, path, route pattern, model, version, status and latency; with the access log on,
 * every request is. Headers, query strings and bodies are never logged (tokens travel there). With a tracing endpoint,
 * each request is a span sent to the collector; without one no span is made and nothing is sent.
 */
public final class RequestObserver implements AutoCloseable {
    static final Logger LOG = Logger.getLogger("io.modelmesh.request");
    private static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-ID");

    private final boolean accessLog;
    private final long slowNanos;
    private final ZipkinSpans spans;

    private RequestObserver(Observability settings, ZipkinSpans spans) {
        this.accessLog = settings.accessLog();
        this.slowNanos = settings.slowRequest().toNanos();
        this.spans = spans;
    }

    /** @param service the name spans are reported under: {@code modelmesh-controlplane}, {@code modelmesh-node-8000} */
    public static RequestObserver create(Observability settings, String service) {
        return new RequestObserver(settings, settings.tracingEndpoint() == null ? null
                : new ZipkinSpans(settings.tracingEndpoint(), service));
    }

    public Filter filter() {
        return (chain, req, res) -> {
            long start = System.nanoTime();
            String header = req.headers().contains(RequestTelemetry.TRACEPARENT)
                    ? req.headers().get(RequestTelemetry.TRACEPARENT).get() : null;
            TraceParent incoming = TraceParent.parse(header);
            ZipkinSpans.Started span = spans == null ? null : spans.start(incoming, req.prologue().method().text());
            RequestTelemetry telemetry = new RequestTelemetry(incoming, span == null ? null : span.context());
            req.context().register(telemetry);
            res.whenSent(() -> done(req, res, telemetry, span, System.nanoTime() - start));
            RequestTelemetry previous = RequestTelemetry.enter(telemetry);
            try {
                chain.proceed();
            } finally {
                RequestTelemetry.leave(previous);
            }
        };
    }

    private void done(ServerRequest req, ServerResponse res, RequestTelemetry t, ZipkinSpans.Started span,
                      long nanos) {
        int status = res.status().code();
        boolean slow = nanos >= slowNanos;
        if (span == null && !accessLog && !slow && status < 400) {
            return;
        }
        String method = req.prologue().method().text();
        String route = req.context().get(RouteTag.class).map(RouteTag::route).orElse(null);
        String path = req.path().absolute().path();
        if (span != null) {
            spans.finish(span, method + " " + (route == null ? path : route), method, path, status, t.model(),
                    t.version());
        }
        if (!accessLog && !slow && status < 400) {
            return;
        }
        String requestId = res.headers().first(REQUEST_ID).orElseGet(() -> req.headers().first(REQUEST_ID)
                .orElse(null));
        Line line = new Line(requestId, t.traceId(), t.spanId(), method, path, route, t.model(), t.version(), status,
                Math.round(nanos / 1_000.0) / 1_000.0, slow);
        Level level = status >= 500 || slow ? Level.WARNING : Level.INFO;
        if (LOG.isLoggable(level)) {
            LOG.log(level, method + " " + path + " " + status + " " + line.latencyMs + " ms" + (slow ? " (slow)" : ""),
                    line);
        }
    }

    @Override
    public void close() {
        if (spans != null) {
            spans.close();
        }
    }

    /** One request's log fields. */
    record Line(String requestId, String traceId, String spanId, String method, String path, String route,
                String model, String version, int status, double latencyMs, boolean slow) implements LogFields {
        @Override
        public void forEach(BiConsumer<String, Object> field) {
            field.accept("request_id", requestId);
            field.accept("trace_id", traceId);
            field.accept("span_id", spanId);
            field.accept("method", method);
            field.accept("path", path);
            field.accept("route", route);
            field.accept("model", model);
            field.accept("version", version);
            field.accept("status", status);
            field.accept("latency_ms", latencyMs);
            if (slow) {
                field.accept("slow", true);
            }
        }
    }
}
