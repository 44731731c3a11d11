package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.controlplane.drift.DriftService;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;

/**
 * {@code GET /monitoring/drift/{model}}: per version and feature, PSI and the KS test of the current window against
 * the reference, window sizes and whether it drifted.
 */
public final class DriftEndpoints implements Endpoints {
    private final DriftService drift;
    private final ModelCatalog catalog;
    private final JsonIo json;

    public DriftEndpoints(DriftService drift, ModelCatalog catalog, JsonIo json) {
        this.drift = drift;
        this.catalog = catalog;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.get("/monitoring/drift/{model}", Access.READ, this::report);
    }

    private void report(ServerRequest req, ServerResponse res) {
        String model = catalog.model(req.path().pathParameters().get("model")).name();
        json.ok(res, drift.report(model));
    }
}
