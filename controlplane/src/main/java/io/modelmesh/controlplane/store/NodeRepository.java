package io.modelmesh.controlplane.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The {@code nodes} table. */
public final class NodeRepository {
    private static final String COLUMNS = "node_id, url, serving_revision, registered_at, last_seen, session_hash, "
            + "push_key, failed::text AS failed_json, outcomes_lag_ms";
    private static final TypeReference<Map<String, String>> FAILED = new TypeReference<>() {
    };

    private final DbClient db;
    private final ObjectMapper json;

    public NodeRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Inserts or replaces a node (a re-registration starts a new incarnation: new url, revision, times, session). */
    public void upsert(NodeRecord n, String clusterId, long epoch) {
        db.execute().createInsert("""
                        INSERT INTO nodes (node_id, url, serving_revision, registered_at, last_seen, session_hash,
                            push_key, failed, cluster_id, epoch, acked_at, outcomes_lag_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS uuid), ?, ?, ?)
                        ON CONFLICT (node_id) DO UPDATE SET url = EXCLUDED.url,
                            serving_revision = EXCLUDED.serving_revision, registered_at = EXCLUDED.registered_at,
                            last_seen = EXCLUDED.last_seen, session_hash = EXCLUDED.session_hash,
                            push_key = EXCLUDED.push_key, failed = EXCLUDED.failed, cluster_id = EXCLUDED.cluster_id,
                            epoch = EXCLUDED.epoch, acked_at = EXCLUDED.acked_at,
                            outcomes_lag_ms = EXCLUDED.outcomes_lag_ms""")
                .params(n.nodeId(), n.url(), n.servingRevision(), Rows.param(n.registeredAt()), Rows.param(n.lastSeen()),
                        n.sessionHash(), n.pushKey(), Rows.toJson(json, n.failed()), uuidOrNull(clusterId), epoch,
                        Rows.param(n.lastSeen()), n.outcomesLagMs())
                .execute();
    }

    /**
     * Records a heartbeat, which is also the node's acknowledgement of what it serves.
     *
     * @param servingRevision the revision of this control plane's identity it serves (0 for another identity's)
     * @param clusterId       the identity of the table it serves, as it said
     * @return false when the node is unknown
     */
    public boolean heartbeat(String nodeId, long servingRevision, Map<String, String> failed, String clusterId,
                             long epoch, Long outcomesLagMs, Instant at) {
        return db.execute().createUpdate("UPDATE nodes SET serving_revision = ?, failed = CAST(? AS jsonb), "
                        + "cluster_id = CAST(? AS uuid), epoch = ?, outcomes_lag_ms = ?, last_seen = ?, acked_at = ? "
                        + "WHERE node_id = ?")
                .params(servingRevision, Rows.toJson(json, failed), uuidOrNull(clusterId), epoch, outcomesLagMs,
                        Rows.param(at), Rows.param(at), nodeId)
                .execute() == 1;
    }

    public List<NodeRecord> list() {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM nodes ORDER BY node_id")) {
            return rows.map(this::node).toList();
        }
    }

    /** The rows of the given nodes (what they acknowledged). */
    public List<NodeRecord> find(List<String> nodeIds) {
        if (nodeIds.isEmpty()) {
            return List.of();
        }
        String marks = nodeIds.stream().map(i -> "?").collect(Collectors.joining(", "));
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM nodes WHERE node_id IN (" + marks
                + ")", nodeIds.toArray())) {
            return rows.map(this::node).toList();
        }
    }

    /** Node ids by session hash: what authenticates a node's calls. */
    public Map<String, String> sessions() {
        try (Stream<DbRow> rows = db.execute().query("SELECT node_id, session_hash FROM nodes "
                + "WHERE session_hash IS NOT NULL")) {
            return rows.collect(Collectors.toMap(r -> Rows.text(r, "session_hash"), r -> Rows.text(r, "node_id")));
        }
    }

    /** Forgets nodes silent since before {@code before} (their sessions stop working). @return how many */
    public long forgetSilentSince(DbExecute tx, Instant before) {
        return tx.dml("DELETE FROM nodes WHERE last_seen < ?", Rows.param(before));
    }

    private NodeRecord node(DbRow r) {
        String failed = Rows.text(r, "failed_json");
        Object lag = r.column("outcomes_lag_ms").get(Object.class);
        return new NodeRecord(Rows.text(r, "node_id"), Rows.text(r, "url"), Rows.number(r, "serving_revision"),
                Rows.instant(r, "registered_at"), Rows.instant(r, "last_seen"), Rows.text(r, "session_hash"),
                Rows.text(r, "push_key"), failed == null ? Map.of() : readFailed(failed),
                lag == null ? null : ((Number) lag).longValue());
    }

    private Map<String, String> readFailed(String text) {
        try {
            return json.readValue(text, FAILED);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored failed models are not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    private static String uuidOrNull(String clusterId) {
        if (clusterId == null) {
            return null;
        }
        try {
            return java.util.UUID.fromString(clusterId).toString();
        } catch (IllegalArgumentException e) {
            return null; // not one of ours: recorded as "another identity"
        }
    }
}
