package io.modelmesh.server.observe;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.trace.TraceParent;

/**
 * What one request's log line and span need beyond the HTTP exchange itself: the caller's trace context, this server's
 * span in that trace, and the model and version a prediction was served by. Registered in the request's context by
 * {@link RequestObserver}'s filter, and current on the thread that runs the request's handler (so calls the handler
 * makes to other servers carry the trace on).
 */
public final class RequestTelemetry {
    public static final HeaderName TRACEPARENT = HeaderNames.create(TraceParent.HEADER);
    private static final ThreadLocal<RequestTelemetry> CURRENT = new ThreadLocal<>();

    private final TraceParent incoming;
    private volatile TraceParent span;
    private volatile String model;
    private volatile String version;

    RequestTelemetry(TraceParent incoming, TraceParent span) {
        this.incoming = incoming;
        this.span = span;
    }

    /** The caller's valid {@code traceparent}, or null. */
    public TraceParent incoming() {
        return incoming;
    }

    /** This server's span for the request: a child of the caller's, or the root of a new trace. */
    public TraceParent span() {
        TraceParent s = span;
        if (s == null) {
            s = TraceParent.childOf(incoming);
            span = s;
        }
        return s;
    }

    /** The trace id to log: the server's span's when one was made, else the caller's, else null. */
    String traceId() {
        TraceParent s = span;
        return s != null ? s.traceId() : incoming != null ? incoming.traceId() : null;
    }

    String spanId() {
        TraceParent s = span;
        return s == null ? null : s.spanId();
    }

    String model() {
        return model;
    }

    String version() {
        return version;
    }

    /** Names the model (and version, once known) a prediction request is for, for its log line. */
    public static void model(ServerRequest req, String model, String version) {
        req.context().get(RequestTelemetry.class).ifPresent(t -> {
            t.model = model;
            if (version != null) {
                t.version = version;
            }
        });
    }

    /**
     * Sets this server's {@code traceparent} on the answer (a span in the caller's trace, or a new trace when the
     * caller sent none or an invalid one) and returns it. Without the observer's filter (a bare routing in a test)
     * the span is made from the request's header alone.
     */
    public static TraceParent answer(ServerRequest req, ServerResponse res) {
        TraceParent out = req.context().get(RequestTelemetry.class).map(RequestTelemetry::span)
                .orElseGet(() -> TraceParent.childOf(TraceParent.parse(req.headers().first(TRACEPARENT)
                        .orElse(null))));
        res.header(TRACEPARENT, out.header());
        return out;
    }

    /**
     * The {@code traceparent} for a call made while handling the current request: this server's span, so the callee's
     * span is its child. Null when the thread is not handling a request.
     */
    public static TraceParent outgoing() {
        RequestTelemetry t = CURRENT.get();
        return t == null ? null : t.span();
    }

    static RequestTelemetry enter(RequestTelemetry t) {
        RequestTelemetry previous = CURRENT.get();
        CURRENT.set(t);
        return previous;
    }

    static void leave(RequestTelemetry previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
