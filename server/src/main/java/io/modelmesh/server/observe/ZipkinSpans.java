package io.modelmesh.server.observe;

import io.helidon.tracing.providers.zipkin.ZipkinTracerBuilder;
import io.modelmesh.api.trace.TraceParent;
import io.opentracing.Span;
import io.opentracing.SpanContext;
import io.opentracing.Tracer;
import io.opentracing.propagation.Format;
import io.opentracing.propagation.TextMapAdapter;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * Server spans sent to a Zipkin collector through Helidon's Zipkin tracing provider (Brave underneath; spans are
 * batched and posted as Zipkin JSON v2 about once a second, off the request thread). The W3C trace context a request
 * came with is handed to Brave as its B3 equivalent, so the span joins the caller's trace; a span that starts a trace
 * has Brave's 64-bit trace id, written zero-padded to 32 hex digits in {@code traceparent}.
 */
final class ZipkinSpans implements AutoCloseable {
    private final Tracer tracer;

    ZipkinSpans(URI endpoint, String service) {
        this.tracer = ZipkinTracerBuilder.forService(service).collectorUri(endpoint).registerGlobal(false).build();
    }

    /** A started span and its trace context. */
    record Started(Span span, TraceParent context) {
    }

    Started start(TraceParent parent, String name) {
        // no span.kind before start: Brave would join the caller's span (B3's shared span) instead of making a child
        Tracer.SpanBuilder b = tracer.buildSpan(name);
        if (parent != null) {
            Map<String, String> b3 = new HashMap<>();
            b3.put("X-B3-TraceId", parent.traceId());
            b3.put("X-B3-SpanId", parent.spanId());
            b3.put("X-B3-Sampled", parent.sampled() ? "1" : "0");
            SpanContext context = tracer.extract(Format.Builtin.HTTP_HEADERS, new TextMapAdapter(b3));
            if (context != null) {
                b.asChildOf(context);
            }
        }
        Span span = b.start();
        span.setTag("span.kind", "server");
        String trace = span.context().toTraceId();
        if (trace.length() < 32) {
            trace = "0".repeat(32 - trace.length()) + trace;
        }
        String id = span.context().toSpanId();
        if (id.length() < 16) {
            id = "0".repeat(16 - id.length()) + id;
        }
        return new Started(span, new TraceParent(trace, id, parent == null ? "01" : parent.flags()));
    }

    void finish(Started s, String name, String method, String path, int status, String model, String version) {
        Span span = s.span();
        span.setOperationName(name);
        span.setTag("http.method", method);
        span.setTag("http.path", path);
        span.setTag("http.status_code", status);
        if (model != null) {
            span.setTag("model", model);
        }
        if (version != null) {
            span.setTag("model_version", version);
        }
        if (status >= 500) {
            span.setTag("error", true);
        }
        span.finish();
    }

    @Override
    public void close() {
        tracer.close();
    }
}
