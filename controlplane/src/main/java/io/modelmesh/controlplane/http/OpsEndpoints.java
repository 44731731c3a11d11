package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.metrics.Meters;
import io.modelmesh.server.http.HttpMetrics;
import io.modelmesh.controlplane.store.DatabaseHealth;


/** {@code GET /health} and {@code GET /metrics}. */
public final class OpsEndpoints implements Endpoints {
    private final DatabaseHealth health;
    private final Meters metrics;
    private final JsonIo json;
    private final Access metricsAccess;

    /** @param publicMetrics whether {@code GET /metrics} answers without a token (else it needs {@code read}) */
    public OpsEndpoints(DatabaseHealth health, Meters metrics, JsonIo json, boolean publicMetrics) {
        this.health = health;
        this.metrics = metrics;
        this.json = json;
        this.metricsAccess = publicMetrics ? Access.PUBLIC : Access.READ;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .get("/health", Access.PUBLIC, this::health)
                .get("/metrics", metricsAccess, HttpMetrics.exposition(metrics));
    }

    private void health(ServerRequest req, ServerResponse res) {
        DatabaseHealth.Report report = health.check();
        json.send(res, report.up() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, report);
    }
}
