package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.store.NodeRecord;
import io.modelmesh.controlplane.store.NodeRepository;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Data-plane nodes: registration (with catch-up push), heartbeats, liveness. */
public final class NodeRegistry {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final NodeRepository nodes;
    private final RoutingSource routing;
    private final RoutingPublisher publisher;
    private final Clock clock;
    private final Duration deadAfter;

    public NodeRegistry(NodeRepository nodes, RoutingSource routing, RoutingPublisher publisher, Clock clock,
                        Duration deadAfter) {
        this.nodes = nodes;
        this.routing = routing;
        this.publisher = publisher;
        this.clock = clock;
        this.deadAfter = deadAfter;
    }

    /** Records the node; when it serves an older revision than the latest, pushes the table to it in the background. */
    public HeartbeatReply register(NodeRegistration r) {
        String id = requireNodeId(r.nodeId());
        String url = requireUrl(r.url());
        if (r.servingRevision() < 0) {
            throw new InvalidInputException("serving_revision must not be negative, got " + r.servingRevision());
        }
        Instant now = clock.instant();
        NodeRecord node = new NodeRecord(id, url, r.servingRevision(), now, now);
        nodes.upsert(node);
        long latest = routing.latestRevision();
        if (r.servingRevision() < latest) {
            publisher.pushInBackground(routing.current(), node);
        }
        return new HeartbeatReply(latest, true);
    }

    /** Records a heartbeat; {@code known=false} tells an unknown node to register again. */
    public HeartbeatReply heartbeat(String nodeId, NodeHeartbeat hb) {
        String id = requireNodeId(nodeId);
        if (hb.nodeId() != null && !hb.nodeId().equals(id)) {
            throw new InvalidInputException("heartbeat for node '" + id + "' carries node_id '" + hb.nodeId()
                    + "'; send it to /nodes/" + hb.nodeId() + "/heartbeat");
        }
        boolean known = nodes.heartbeat(id, Math.max(0, hb.servingRevision()), clock.instant());
        return new HeartbeatReply(routing.latestRevision(), known);
    }

    public List<NodeStatus> list() {
        Instant now = clock.instant();
        return nodes.list().stream().map(n -> new NodeStatus(n.nodeId(), n.url(), n.servingRevision(),
                NodeLiveness.state(n.lastSeen(), now, deadAfter).name(), n.lastSeen(), n.registeredAt())).toList();
    }

    /** Nodes that heartbeat recently enough to receive pushes. */
    public List<NodeRecord> live() {
        Instant now = clock.instant();
        return nodes.list().stream()
                .filter(n -> NodeLiveness.state(n.lastSeen(), now, deadAfter) == NodeState.LIVE)
                .toList();
    }

    /** Node counts by state, for the metrics gauge. */
    public Map<NodeState, Long> countByState() {
        Instant now = clock.instant();
        Map<NodeState, Long> counts = new EnumMap<>(NodeState.class);
        for (NodeState s : NodeState.values()) {
            counts.put(s, 0L);
        }
        nodes.list().forEach(n -> counts.merge(NodeLiveness.state(n.lastSeen(), now, deadAfter), 1L, Long::sum));
        return counts;
    }

    private static String requireNodeId(String id) {
        if (id == null || !NODE_ID.matcher(id).matches()) {
            throw new InvalidInputException("node id '" + id + "' is not allowed: use 1 to 128 characters from "
                    + "letters, digits, '.', '_', ':' and '-' (e.g. node-8000)");
        }
        return id;
    }

    private static String requireUrl(String url) {
        try {
            URI u = URI.create(url == null ? "" : url.trim());
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u.toString();
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new InvalidInputException("node url '" + url + "' is not an absolute http(s) URL such as "
                + "http://127.0.0.1:8000");
    }
}
