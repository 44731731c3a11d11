package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.Json;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.dataplane.reliability.Drain;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.server.http.MediaTypes;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The node's own endpoints: routing-table intake and health. */
final class NodeRoutes {
    private final ObjectMapper json = Json.mapper();
    private final String nodeId;
    private final RoutingApplier tables;
    private final BooleanSupplier controlPlaneReachable;
    private final Bodies bodies;
    private final NodeSession session;
    private final Drain drain;

    NodeRoutes(String nodeId, RoutingApplier tables, BooleanSupplier controlPlaneReachable,
               Bodies bodies, NodeSession session, Drain drain) {
        this.drain = drain;
        this.bodies = bodies;
        this.session = session;
        this.nodeId = nodeId;
        this.tables = tables;
        this.controlPlaneReachable = controlPlaneReachable;
    }

    /**
     * {@code PUT /internal/routing}: only from this node's control plane (a signature with the key agreed when the node
     * joined, checked over the body before it is parsed); answers once the table is served (or refused, with the
     * reason).
     */
    void routing(ServerRequest req, ServerResponse res) throws IOException {
        MediaTypes.requireJson(req);
        RoutingTable table;
        try (RequestBody body = bodies.read(req)) {
            session.verifyPush(req, body.bytes());
            table = json.readValue(body.bytes(), RoutingTable.class);
        } catch (IOException e) {
            throw new InvalidInputException("not a routing table: " + e.getMessage());
        }
        RoutingAck ack = tables.apply(table);
        Responses.json(res, ack.applied() ? Status.OK_200 : Status.create(422, "Unprocessable Content"), json.writeValueAsBytes(ack));
    }

    /** {@code GET /health}: 503 with status DRAINING (and ready false) once the node is stopping. */
    void health(ServerRequest req, ServerResponse res) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean draining = drain.draining();
        boolean ready = tables.synced() && !draining;
        body.put("status", draining ? "DRAINING" : "UP");
        body.put("ready", ready);
        body.put("node_id", nodeId);
        body.put("serving_revision", tables.current().revision());
        body.put("control_plane", controlPlaneReachable.getAsBoolean() ? "reachable" : "unreachable");
        Map<String, List<String>> models = new LinkedHashMap<>();
        for (ServedModel m : tables.current().models().values()) {
            models.put(m.route().model(), List.copyOf(m.versions().keySet()));
        }
        body.put("models", models);
        if (!tables.current().failed().isEmpty()) {
            body.put("failed", tables.current().failed()); // models kept on older targets (or not served), and why
        }
        Responses.json(res, draining ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200, json.writeValueAsBytes(body));
    }


    /** {@code POST /echo}: the body back, for benchmarks to compare the predict route against. */
    void echo(ServerRequest req, ServerResponse res) {
        MediaTypes.requireJson(req);
        try (RequestBody body = bodies.read(req)) {
            Responses.json(res, body.bytes());
        }
    }
}
