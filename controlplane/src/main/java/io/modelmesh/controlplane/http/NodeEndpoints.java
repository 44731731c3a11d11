package io.modelmesh.controlplane.http;

import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.controlplane.auth.TokenDirectory;
import io.modelmesh.controlplane.nodes.NodeRegistry;
import io.modelmesh.controlplane.nodes.RoutingSource;

/**
 * {@code /nodes}: the node channel (join, heartbeats, a node's table and the token hashes it checks; each only for the
 * node itself) and the operator's view ({@code GET /nodes}, {@code GET /routing}).
 */
public final class NodeEndpoints implements Endpoints {
    private final NodeRegistry nodes;
    private final RoutingSource routing;
    private final TokenDirectory credentials;
    private final JsonIo json;

    public NodeEndpoints(NodeRegistry nodes, RoutingSource routing, TokenDirectory credentials, JsonIo json) {
        this.nodes = nodes;
        this.routing = routing;
        this.credentials = credentials;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .post("/nodes/register", Access.NODE, this::register)
                .post("/nodes/{id}/heartbeat", Access.NODE, this::heartbeat)
                .get("/nodes/{id}/routing", Access.NODE, this::nodeTable)
                .get("/nodes/{id}/credentials", Access.NODE, this::credentials)
                .get("/nodes", Access.READ, this::list)
                .get("/routing", Access.READ, this::table);
    }

    private void register(ServerRequest req, ServerResponse res) {
        json.ok(res, nodes.register(ScopedRoutes.principal(req), json.read(req, NodeRegistration.class)));
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        NodeHeartbeat hb = json.read(req, NodeHeartbeat.class);
        json.ok(res, nodes.heartbeat(ScopedRoutes.principal(req), req.path().pathParameters().get("id"), hb));
    }

    private void list(ServerRequest req, ServerResponse res) {
        json.ok(res, nodes.list());
    }

    private void table(ServerRequest req, ServerResponse res) {
        json.ok(res, routing.current());
    }

    /** A node fetching its table (catch-up): the same table, on the node channel. */
    private void nodeTable(ServerRequest req, ServerResponse res) {
        NodeRegistry.requireSelf(ScopedRoutes.principal(req), req.path().pathParameters().get("id"));
        json.ok(res, routing.current());
    }

    /** The token hashes a node checks predictions against. */
    private void credentials(ServerRequest req, ServerResponse res) {
        NodeRegistry.requireSelf(ScopedRoutes.principal(req), req.path().pathParameters().get("id"));
        json.ok(res, credentials.credentials());
    }
}
