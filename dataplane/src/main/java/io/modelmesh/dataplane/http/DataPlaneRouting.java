package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.HttpRouting;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.inference.PreviewService;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.reliability.Drain;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.server.io.ReadWatchdog;

import io.modelmesh.server.auth.Guard;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.ApiDocs;
import io.modelmesh.server.http.HttpMetrics;
import io.modelmesh.server.http.RouteInfo;
import io.modelmesh.server.http.ScopedRoutes;

import io.modelmesh.dataplane.sync.LinkView;

import java.util.List;

/** The data plane's routes, in one method used by the server and by tests alike. */
public final class DataPlaneRouting {
    /** The node's OpenAPI document, served at {@code GET /openapi} (and shown at {@code GET /docs}). */
    public static final String OPENAPI = "/openapi/dataplane.yaml";

    private DataPlaneRouting() {
    }

    /**
     * @param link             the node's link to its control planes (its state, and where revision notices go)
     * @param maxBytes         largest request body
     * @param maxInflightBytes request-body bytes held at once over all requests
     * @param watchdog         ends body reads that stall past the read timeout
     * @param access           who may call what
     * @param drain            counts work requests in flight; once draining, readiness is false and new work refused
     */
    public static void routing(HttpRouting.Builder routing, String nodeId, RoutingApplier tables,
                               PredictionService predictions, PreviewService previews, PredictionMetrics metrics,
                               LinkView link, int maxRows, long maxBytes,
                               long maxInflightBytes, ReadWatchdog watchdog, boolean echo, NodeAccess access,
                               Drain drain) {
        routing.addFilter(new HttpMetrics(metrics.meters()).filter());
        routing.addFilter(access.browsers().filter());
        routing.addFilter(new DrainFilter(drain, nodeId));
        BodyBudget budget = new BodyBudget(maxInflightBytes);
        metrics.gauge("request_body_bytes", "Request-body bytes the node holds now (at most MM_MAX_INFLIGHT_BYTES).",
                budget::held);
        Bodies bodies = new Bodies(maxBytes, budget, watchdog);
        NodeRoutes node = new NodeRoutes(nodeId, tables, link, bodies, access.session(), drain);
        PredictRoutes predict = new PredictRoutes(predictions, previews, maxRows, bodies);
        OipRoutes oip = new OipRoutes(predictions, tables, maxRows, bodies, drain);
        KServeV1Routes v1 = new KServeV1Routes(predictions, tables, maxRows, bodies);
        Guard guard = access.guard();
        List<RouteInfo> catalog = access.catalog();
        ScopedRoutes root = new ScopedRoutes(routing, guard, catalog);
        predict.routes(root); // first, as the /predict service was: the hottest route is matched before the others
        routing.register("/v2", rules -> oip.routes(new ScopedRoutes(rules, guard, catalog, "/v2")))
                .register("/v1", rules -> v1.routes(new ScopedRoutes(rules, guard, catalog, "/v1")));
        root.post("/internal/routing", Access.CONTROL_PLANE, node::notice)
                .get("/health", Access.PUBLIC, node::health)
                .get("/metrics", access.publicMetrics() ? Access.PUBLIC : Access.READ,
                        HttpMetrics.exposition(metrics.meters()));
        if (echo) {
            root.post("/echo", Access.PREDICT, node::echo);
        }
        ApiDocs.of(DataPlaneRouting.class, OPENAPI).routes(root);
        routing.any((req, res) -> {
            throw new NotFoundException("no endpoint " + req.prologue().method().text() + " "
                    + req.path().absolute().path() + " on this node (see docs/CONTRACTS.md for the data plane API)");
        });
        ErrorMapping.register(routing);
    }
}
