package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.Json;
import io.modelmesh.api.RevisionNotice;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.dataplane.reliability.Drain;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.sync.LinkView;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.server.http.MediaTypes;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The node's own endpoints: routing-table intake and health. */
final class NodeRoutes {
    private final ObjectMapper json = Json.mapper();
    private final String nodeId;
    private final RoutingApplier tables;
    private final LinkView link;
    private final Bodies bodies;
    private final NodeSession session;
    private final Drain drain;

    NodeRoutes(String nodeId, RoutingApplier tables, LinkView link, Bodies bodies, NodeSession session,
               Drain drain) {
        this.drain = drain;
        this.bodies = bodies;
        this.session = session;
        this.nodeId = nodeId;
        this.tables = tables;
        this.link = link;
    }

    /** A notice is a few dozen bytes; a body this large is not one. */
    static final int MAX_NOTICE_BYTES = 4 * 1024;

    /**
     * {@code POST /internal/routing}: a revision notice, only from this node's control planes (a signature with the
     * key agreed when the node joined, checked over the body before it is parsed). Answered at once (202) with what
     * the node serves; the node fetches the table itself, prepares it off this path and acknowledges with a heartbeat.
     */
    void notice(ServerRequest req, ServerResponse res) throws IOException {
        MediaTypes.requireJson(req);
        RevisionNotice notice;
        try (RequestBody body = bodies.read(req)) {
            session.verifyPush(req, body.bytes());
            if (body.bytes().length > MAX_NOTICE_BYTES) {
                throw new InvalidInputException("a revision notice is at most " + MAX_NOTICE_BYTES + " bytes");
            }
            notice = json.readValue(body.bytes(), RevisionNotice.class);
        } catch (IOException e) {
            throw new InvalidInputException("not a revision notice: " + e.getMessage());
        }
        link.noticed(notice);
        ServingTable serving = tables.current();
        boolean serves = serving.table().sameIdentity(notice.clusterId(), notice.epoch())
                && serving.revision() >= notice.revision() && serving.failed().isEmpty();
        Responses.json(res, Status.ACCEPTED_202, json.writeValueAsBytes(new RoutingAck(nodeId, serving.revision(),
                serves, null, serving.failed())));
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
        body.put("cluster_id", tables.current().table().clusterId());
        body.put("epoch", tables.current().table().epoch());
        body.put("control_plane", link.reachable() ? "reachable" : "unreachable");
        body.put("control_plane_url", String.valueOf(link.controlPlane()));
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
