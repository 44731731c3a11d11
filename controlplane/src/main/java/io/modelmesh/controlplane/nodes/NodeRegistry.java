package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.controlplane.auth.TokenDirectory;
import io.modelmesh.server.auth.Principal;
import io.modelmesh.server.auth.PushSignature;
import io.modelmesh.server.auth.Tokens;
import io.modelmesh.server.errors.ForbiddenException;
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

/**
 * Data-plane nodes: joining (with the join token, answered with the node's session), heartbeats, liveness, and the
 * catch-up push to a node that joins behind.
 */
public final class NodeRegistry {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final NodeRepository nodes;
    private final RoutingSource routing;
    private final RoutingPublisher publisher;
    private final Clock clock;
    private final Duration deadAfter;
    private final TokenDirectory credentials;

    public NodeRegistry(NodeRepository nodes, RoutingSource routing, RoutingPublisher publisher, Clock clock,
                        Duration deadAfter, TokenDirectory credentials) {
        this.nodes = nodes;
        this.routing = routing;
        this.publisher = publisher;
        this.clock = clock;
        this.deadAfter = deadAfter;
        this.credentials = credentials;
    }

    /**
     * Joins a node: records it with a new session (any earlier session of the node stops working) and answers the
     * session token; when it serves an older revision than the latest, pushes the table to it in the background.
     *
     * @param caller the join token (scope node), an admin token, or the node's own session (joining again)
     * @throws ForbiddenException when the caller is another node's session
     */
    public HeartbeatReply register(Principal caller, NodeRegistration r) {
        String id = requireNodeId(r.nodeId());
        if (caller.kind() == Principal.Kind.NODE && !id.equals(caller.nodeId())) {
            throw new ForbiddenException("this credential is the session of node '" + caller.nodeId() + "'; a node "
                    + "joins with the join token (MM_HOME/join-token, MM_JOIN_TOKEN or --join-token-file)");
        }
        URI url = NodeUrls.require(r.url());
        if (r.servingRevision() < 0) {
            throw new InvalidInputException("serving_revision must not be negative, got " + r.servingRevision());
        }
        Instant now = clock.instant();
        String session = Tokens.generate(Tokens.NODE_PREFIX);
        NodeRecord node = new NodeRecord(id, url.toString(), r.servingRevision(), now, now, Tokens.hash(session),
                PushSignature.key(session));
        nodes.upsert(node);
        credentials.reload(); // the new session authenticates the node's next call on this process at once
        long latest = routing.latestRevision();
        if (r.servingRevision() < latest) {
            publisher.pushInBackground(routing.current(), node);
        }
        return new HeartbeatReply(latest, true, session, credentials.credentials().version());
    }

    /**
     * Records a heartbeat; {@code known=false} tells an unknown node to join again.
     *
     * @param caller must be the node's own session
     */
    public HeartbeatReply heartbeat(Principal caller, String nodeId, NodeHeartbeat hb) {
        String id = requireSelf(caller, nodeId);
        if (hb.nodeId() != null && !hb.nodeId().equals(id)) {
            throw new InvalidInputException("heartbeat for node '" + id + "' carries node_id '" + hb.nodeId()
                    + "'; send it to /nodes/" + hb.nodeId() + "/heartbeat");
        }
        boolean known = nodes.heartbeat(id, Math.max(0, hb.servingRevision()), clock.instant());
        return new HeartbeatReply(routing.latestRevision(), known, null, credentials.credentials().version());
    }

    /**
     * The node id of a call on the node channel, checked against its credential.
     *
     * @throws ForbiddenException unless {@code caller} is the session of node {@code nodeId}
     */
    public static String requireSelf(Principal caller, String nodeId) {
        String id = requireNodeId(nodeId);
        if (caller.kind() != Principal.Kind.NODE) {
            throw new ForbiddenException("only a joined node calls this endpoint, with the session it got when it "
                    + "joined (POST /nodes/register with the join token)");
        }
        if (!id.equals(caller.nodeId())) {
            throw new ForbiddenException("this credential is the session of node '" + caller.nodeId() + "', not of '"
                    + id + "'");
        }
        return id;
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

    static String requireNodeId(String id) {
        if (id == null || !NODE_ID.matcher(id).matches()) {
            throw new InvalidInputException("node id '" + id + "' is not allowed: use 1 to 128 characters from "
                    + "letters, digits, '.', '_', ':' and '-' (e.g. node-8000)");
        }
        return id;
    }
}
