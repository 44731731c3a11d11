package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.HttpRouting;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.sync.RoutingApplier;

import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.server.auth.Guard;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.BrowserGuard;
import io.modelmesh.server.http.RouteInfo;
import io.modelmesh.server.http.ScopedRoutes;

import java.util.List;
import java.util.function.BooleanSupplier;

/** The data plane's routes, in one method used by the server and by tests alike. */
public final class DataPlaneRouting {
    private DataPlaneRouting() {
    }

    /**
     * @param guard   who may call what: prediction tokens (or anonymous callers where allowed), the control plane's
     *                signature for routing pushes
     * @param catalog every route is added here with the access it requires
     */
    public static void routing(HttpRouting.Builder routing, String nodeId, RoutingApplier tables,
                               PredictionService predictions, PredictionMetrics metrics,
                               BooleanSupplier controlPlaneReachable, int maxRows, long maxBytes,
                               boolean echo, Guard guard, List<RouteInfo> catalog, NodeSession session,
                               BrowserGuard browsers, boolean publicMetrics) {
        routing.addFilter(browsers.filter());
        NodeRoutes node = new NodeRoutes(nodeId, tables, metrics, controlPlaneReachable, maxBytes, session);
        PredictRoutes predict = new PredictRoutes(predictions, maxRows, maxBytes);
        OipRoutes oip = new OipRoutes(predictions, tables, maxRows, maxBytes);
        routing.register("/predict", rules -> predict.routes(new ScopedRoutes(rules, guard, catalog, "/predict")))
                .register("/v2", rules -> oip.routes(new ScopedRoutes(rules, guard, catalog, "/v2")));
        ScopedRoutes root = new ScopedRoutes(routing, guard, catalog);
        root.put("/internal/routing", Access.CONTROL_PLANE, node::routing)
                .get("/health", Access.PUBLIC, node::health)
                .get("/metrics", publicMetrics ? Access.PUBLIC : Access.READ, node::metrics);
        if (echo) {
            root.post("/echo", Access.PREDICT, node::echo);
        }
        routing.any((req, res) -> {
            throw new NotFoundException("no endpoint " + req.prologue().method().text() + " "
                    + req.path().absolute().path() + " on this node (see docs/CONTRACTS.md for the data plane API)");
        });
        ErrorMapping.register(routing);
    }
}
