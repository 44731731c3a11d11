package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.HttpRouting;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.server.io.ReadWatchdog;

import java.util.function.BooleanSupplier;

/** The data plane's routes, in one method used by the server and by tests alike. */
public final class DataPlaneRouting {
    private DataPlaneRouting() {
    }

    /**
     * @param maxBytes         largest request body
     * @param maxInflightBytes request-body bytes held at once over all requests
     * @param watchdog         ends body reads that stall past the read timeout
     */
    public static void routing(HttpRouting.Builder routing, String nodeId, RoutingApplier tables,
                               PredictionService predictions, PredictionMetrics metrics,
                               BooleanSupplier controlPlaneReachable, int maxRows, long maxBytes,
                               long maxInflightBytes, ReadWatchdog watchdog, boolean echo) {
        BodyBudget budget = new BodyBudget(maxInflightBytes);
        metrics.gauge("mm_request_body_bytes", "Request-body bytes the node holds now (at most MM_MAX_INFLIGHT_BYTES).",
                budget::held);
        Bodies bodies = new Bodies(maxBytes, budget, watchdog);
        NodeRoutes node = new NodeRoutes(nodeId, tables, metrics, controlPlaneReachable, bodies);
        routing.register("/predict", new PredictRoutes(predictions, maxRows, bodies))
                .register("/v2", new OipRoutes(predictions, tables, maxRows, bodies))
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
