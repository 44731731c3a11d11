package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.controlplane.monitoring.LatencyReports;
import io.modelmesh.controlplane.nodes.RoutingSource;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;

import java.time.Clock;

/**
 * {@code GET /monitoring/latency} (every model) and {@code GET /monitoring/latency/{model}}: per version, requests,
 * errors and p50/p95/p99 over the last 1, 5 and 15 minutes, merged across nodes.
 */
public final class LatencyEndpoints implements Endpoints {
    private final LatencyReports reports;
    private final ModelCatalog catalog;
    private final RoutingSource routing;
    private final JsonIo json;
    private final Clock clock;

    public LatencyEndpoints(LatencyReports reports, ModelCatalog catalog, RoutingSource routing, JsonIo json,
                            Clock clock) {
        this.reports = reports;
        this.catalog = catalog;
        this.routing = routing;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .get("/monitoring/latency", Access.READ, this::all)
                .get("/monitoring/latency/{model}", Access.READ, this::model);
    }

    private void all(ServerRequest req, ServerResponse res) {
        json.ok(res, reports.all(routing.current(), clock.instant()));
    }

    private void model(ServerRequest req, ServerResponse res) {
        String model = catalog.model(req.path().pathParameters().get("model")).name();
        RoutingTable table = routing.current();
        json.ok(res, reports.of(model, table.models().get(model), clock.instant()));
    }
}
