package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.HttpRouting;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.sync.RoutingApplier;

import java.util.function.BooleanSupplier;

/** The data plane's routes, in one method used by the server and by tests alike. */
public final class DataPlaneRouting {
    private DataPlaneRouting() {
    }

    public static void routing(HttpRouting.Builder routing, String nodeId, RoutingApplier tables,
                               PredictionService predictions, PredictionMetrics metrics,
                               BooleanSupplier controlPlaneReachable, int maxRows, long maxBytes,
                               boolean echo) {
        NodeRoutes node = new NodeRoutes(nodeId, tables, metrics, controlPlaneReachable, maxBytes);
        routing.register("/predict", new PredictRoutes(predictions, maxRows, maxBytes))
                .register("/v2", new OipRoutes(predictions, tables, maxRows, maxBytes))
                .put("/internal/routing", node::routing)
                .get("/health", node::health)
                .get("/metrics", node::metrics);
        if (echo) {
            routing.post("/echo", node::echo);
        }
        routing.any((req, res) -> {
            throw new NotFoundException("no endpoint " + req.prologue().method().text() + " "
                    + req.path().absolute().path() + " on this node (see docs/CONTRACTS.md for the data plane API)");
        });
        ErrorMapping.register(routing);
    }
}
