package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.controlplane.nodes.NodeRegistry;
import io.modelmesh.controlplane.nodes.RoutingSource;

/** {@code /nodes} (registration, heartbeats, liveness) and {@code GET /routing}. */
public final class NodeEndpoints implements HttpService {
    private final NodeRegistry nodes;
    private final RoutingSource routing;
    private final JsonIo json;

    public NodeEndpoints(NodeRegistry nodes, RoutingSource routing, JsonIo json) {
        this.nodes = nodes;
        this.routing = routing;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        new RouteRules(rules)
                .post("/nodes/register", this::register)
                .post("/nodes/{id}/heartbeat", this::heartbeat)
                .get("/nodes", this::list)
                .get("/routing", this::table);
    }

    private void register(ServerRequest req, ServerResponse res) {
        json.ok(res, nodes.register(json.read(req, NodeRegistration.class)));
    }

    private void heartbeat(ServerRequest req, ServerResponse res) {
        NodeHeartbeat hb = json.read(req, NodeHeartbeat.class);
        json.ok(res, nodes.heartbeat(req.path().pathParameters().get("id"), hb));
    }

    private void list(ServerRequest req, ServerResponse res) {
        json.ok(res, nodes.list());
    }

    private void table(ServerRequest req, ServerResponse res) {
        json.ok(res, routing.current());
    }
}
