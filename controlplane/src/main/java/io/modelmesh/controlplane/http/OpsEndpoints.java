package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.metrics.MetricsRegistry;
import io.modelmesh.controlplane.store.DatabaseHealth;

import java.nio.charset.StandardCharsets;

/** {@code GET /health} and {@code GET /metrics}. */
public final class OpsEndpoints implements Endpoints {
    private final DatabaseHealth health;
    private final MetricsRegistry metrics;
    private final JsonIo json;
    private final Access metricsAccess;

    /** @param publicMetrics whether {@code GET /metrics} answers without a token (else it needs {@code read}) */
    public OpsEndpoints(DatabaseHealth health, MetricsRegistry metrics, JsonIo json, boolean publicMetrics) {
        this.health = health;
        this.metrics = metrics;
        this.json = json;
        this.metricsAccess = publicMetrics ? Access.PUBLIC : Access.READ;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .get("/health", Access.PUBLIC, this::health)
                .get("/metrics", metricsAccess, this::metrics);
    }

    private void health(ServerRequest req, ServerResponse res) {
        DatabaseHealth.Report report = health.check();
        json.send(res, report.up() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, report);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
