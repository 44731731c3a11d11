package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.HttpRouting;
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
                               BooleanSupplier controlPlaneReachable, int maxRows, boolean echo) {
        NodeRoutes node = new NodeRoutes(nodeId, tables, metrics, controlPlaneReachable);
        routing.register("/predict", new PredictRoutes(predictions, maxRows))
                .register("/v2", new OipRoutes(predictions, tables, maxRows))
                .put("/internal/routing", node::routing)
                .get("/health", node::health)
                .get("/metrics", node::metrics);
        if (echo) {
            routing.post("/echo", NodeRoutes::echo);
        }
        ErrorMapping.register(routing);
    }
}
