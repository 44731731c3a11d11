package io.modelmesh.server.http;

import io.helidon.metrics.api.Counter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.Handler;
import io.modelmesh.metrics.Family;
import io.modelmesh.metrics.LockFreeHistogram;
import io.modelmesh.metrics.Meters;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP metrics of either server, counted by one filter: {@code http_requests_total{method,route,status}},
 * {@code http_request_duration_seconds{method,route}} and {@code requests_in_flight}. The route is the pattern a
 * {@link ScopedRoutes} route claimed ({@code /models/{name}}), never the raw path, and {@code unmatched} for paths no
 * route claimed: the number of series is bounded by the routes and statuses the server has.
 */
public final class HttpMetrics {
    private final Family<Counter> requests;
    private final LockFreeHistogram durations;
    private final LongAdder inFlight = new LongAdder();
    private final ConcurrentMap<Key, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<Key, LockFreeHistogram.Child> timers = new ConcurrentHashMap<>();

    public HttpMetrics(Meters meters) {
        this.requests = meters.counter("http_requests_total",
                "HTTP requests answered, by method, route pattern and status.", "method", "route", "status");
        this.durations = meters.fastHistogram("http_request_duration_seconds",
                "Time from a request's arrival to its answer being sent, by method and route pattern.",
                Meters.LATENCY_SECONDS, "method", "route");
        meters.gauge("requests_in_flight", "HTTP requests the server is handling now.", inFlight::sum);
    }

    /**
     * The filter: attaches a {@link RouteTag} to every request, counts it in flight while its handler runs, and
     * records it once its answer is sent. {@code before} runs first for each request (e.g. echoing a request id).
     */
    public Filter filter(Filter before) {
        return (chain, req, res) -> {
            long start = System.nanoTime();
            String method = req.prologue().method().text();
            RouteTag tag = RouteTag.attach(req);
            res.whenSent(() -> record(method, tag.route(), res.status().code(), System.nanoTime() - start));
            inFlight.increment();
            try {
                before.filter(chain, req, res);
            } finally {
                inFlight.decrement();
            }
        };
    }

    public Filter filter() {
        return filter((chain, req, res) -> chain.proceed());
    }

    /** {@code GET /metrics}: the server's meters as Prometheus text (format 0.0.4). */
    public static Handler exposition(Meters meters) {
        return (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(meters.scrape().getBytes(StandardCharsets.UTF_8));
        };
    }

    /** What the filter records for one answered request (public for bench/java/MetricsCost). */
    public void record(String method, String route, int status, long nanos) {
        Key k = new Key(method, route, status);
        Counter c = counters.get(k);
        if (c == null) {
            c = counters.computeIfAbsent(k, x -> requests.labels(x.method, x.route, Integer.toString(x.status)));
        }
        c.increment();
        Key t = new Key(method, route, 0);
        LockFreeHistogram.Child timer = timers.get(t);
        if (timer == null) {
            timer = timers.computeIfAbsent(t, x -> durations.labels(x.method, x.route));
        }
        timer.observeNanos(nanos);
    }

    private record Key(String method, String route, int status) {
    }
}
