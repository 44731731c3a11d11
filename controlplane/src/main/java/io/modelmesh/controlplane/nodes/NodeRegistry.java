package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.controlplane.auth.TokenDirectory;
import io.modelmesh.controlplane.cluster.ClusterIdentity;
import io.modelmesh.controlplane.cluster.EpochKeeper;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Data-plane nodes: joining (with the join token, answered with the node's session), heartbeats (which are also the
 * acknowledgements of what a node serves), liveness. Every answer carries the newest revision and the control plane's
 * identity, so a node behind, or serving another identity's table, fetches the current one.
 */
public final class NodeRegistry {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    /** More models than a node reports failed in one heartbeat is not a node's report. */
    static final int MAX_FAILED = 1_024;
    static final int MAX_REASON_CHARS = 1_024;
    static final int MAX_CLUSTER_ID_CHARS = 64;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final NodeRepository nodes;
    private final RoutingSource routing;
    private final EpochKeeper epochs;
    private final AckSignal acks;
    private final Clock clock;
    private final Duration deadAfter;
    private final TokenDirectory credentials;

    public NodeRegistry(NodeRepository nodes, RoutingSource routing, EpochKeeper epochs, AckSignal acks, Clock clock,
                        Duration deadAfter, TokenDirectory credentials) {
        this.nodes = nodes;
        this.routing = routing;
        this.epochs = epochs;
        this.acks = acks;
        this.clock = clock;
        this.deadAfter = deadAfter;
        this.credentials = credentials;
    }

    /**
     * Joins a node: records it with a new session (any earlier session of the node stops working) and answers the
     * session token with the newest revision and the identity; a node behind fetches its table itself.
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
        requireClusterId(r.clusterId());
        Instant now = clock.instant();
        long latest = routing.latestRevision();
        ClusterIdentity identity = epochs.afterReport(id, r.clusterId(), r.epoch(), r.servingRevision(), latest);
        long serving = ours(identity, r.clusterId(), r.epoch()) ? r.servingRevision() : 0;
        String session = Tokens.generate(Tokens.NODE_PREFIX);
        NodeRecord node = new NodeRecord(id, url.toString(), serving, now, now, Tokens.hash(session),
                PushSignature.key(session));
        nodes.upsert(node, r.clusterId(), r.epoch());
        credentials.reload(); // the new session authenticates the node's next call on this process at once
        acks.signal();
        return new HeartbeatReply(latest, true, session, credentials.credentials().version(), identity.clusterId(),
                identity.epoch());
    }

    /**
     * Records a heartbeat, the node's acknowledgement of what it serves; {@code known=false} tells an unknown node to
     * join again.
     *
     * @param caller must be the node's own session
     */
    public HeartbeatReply heartbeat(Principal caller, String nodeId, NodeHeartbeat hb) {
        String id = requireSelf(caller, nodeId);
        if (hb.nodeId() != null && !hb.nodeId().equals(id)) {
            throw new InvalidInputException("heartbeat for node '" + id + "' carries node_id '" + hb.nodeId()
                    + "'; send it to /nodes/" + hb.nodeId() + "/heartbeat");
        }
        requireClusterId(hb.clusterId());
        Map<String, String> failed = bounded(hb.failed());
        if (hb.outcomesLagMs() != null && hb.outcomesLagMs() < 0) {
            throw new InvalidInputException("outcomes_lag_ms must not be negative, got " + hb.outcomesLagMs());
        }
        long revision = Math.max(0, hb.servingRevision());
        long latest = routing.latestRevision();
        ClusterIdentity identity = epochs.afterReport(id, hb.clusterId(), hb.epoch(), revision, latest);
        boolean ours = ours(identity, hb.clusterId(), hb.epoch());
        boolean known = nodes.heartbeat(id, ours ? revision : 0, ours ? failed : Map.of(), hb.clusterId(), hb.epoch(),
                hb.outcomesLagMs(), clock.instant());
        if (known) {
            acks.signal();
        }
        return new HeartbeatReply(latest, known, null, credentials.credentials().version(), identity.clusterId(),
                identity.epoch());
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
                NodeLiveness.state(n.lastSeen(), now, deadAfter), n.lastSeen(), n.registeredAt(),
                n.failed())).toList();
    }

    /** Nodes that heartbeat recently enough to be notified of revisions and counted in acknowledgements. */
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

    /**
     * Whether a node's table is of this identity. A node that names none (a node from before identities, or one that
     * serves nothing yet) is taken at its word, as before identities existed.
     */
    private static boolean ours(ClusterIdentity identity, String clusterId, long epoch) {
        return clusterId == null || identity.is(clusterId, epoch);
    }

    /** A cluster id is a UUID (as every control plane writes it), or absent. */
    private static void requireClusterId(String clusterId) {
        if (clusterId != null && (clusterId.length() > MAX_CLUSTER_ID_CHARS || !UUID.matcher(clusterId).matches())) {
            throw new InvalidInputException("cluster_id must be a UUID as the control plane gave it, got "
                    + (clusterId.length() > MAX_CLUSTER_ID_CHARS ? "a string of " + clusterId.length()
                    + " characters" : "'" + clusterId + "'"));
        }
    }

    /** The failed models a node reports, refused past {@link #MAX_FAILED} and with long reasons cut. */
    private static Map<String, String> bounded(Map<String, String> failed) {
        if (failed.size() > MAX_FAILED) {
            throw new InvalidInputException("a heartbeat reports at most " + MAX_FAILED + " failed models, got "
                    + failed.size());
        }
        Map<String, String> out = new LinkedHashMap<>();
        failed.forEach((model, reason) -> {
            String m = model.length() > 256 ? model.substring(0, 256) : model;
            String r = reason == null ? "" : reason;
            out.put(m, r.length() > MAX_REASON_CHARS ? r.substring(0, MAX_REASON_CHARS) + "..." : r);
        });
        return out;
    }
}
