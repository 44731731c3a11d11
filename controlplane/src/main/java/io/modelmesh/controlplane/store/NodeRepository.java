package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** The {@code nodes} table. */
public final class NodeRepository {
    private static final String COLUMNS = "node_id, url, serving_revision, registered_at, last_seen, session_hash, "
            + "push_key";

    private final DbClient db;

    public NodeRepository(DbClient db) {
        this.db = db;
    }

    /** Inserts or replaces a node (a re-registration starts a new incarnation: new url, revision and times). */
    public void upsert(NodeRecord n) {
        db.execute().createInsert("""
                        INSERT INTO nodes (node_id, url, serving_revision, registered_at, last_seen, session_hash, push_key)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (node_id) DO UPDATE SET url = EXCLUDED.url,
                            serving_revision = EXCLUDED.serving_revision, registered_at = EXCLUDED.registered_at,
                            last_seen = EXCLUDED.last_seen, session_hash = EXCLUDED.session_hash,
                            push_key = EXCLUDED.push_key""")
                .params(n.nodeId(), n.url(), n.servingRevision(), Rows.param(n.registeredAt()), Rows.param(n.lastSeen()),
                        n.sessionHash(), n.pushKey())
                .execute();
    }

    /** Records a heartbeat; false when the node is unknown. */
    public boolean heartbeat(String nodeId, long servingRevision, Instant at) {
        return db.execute().createUpdate("UPDATE nodes SET serving_revision = ?, last_seen = ? WHERE node_id = ?")
                .params(servingRevision, Rows.param(at), nodeId).execute() == 1;
    }

    /** Records an acknowledged push: the served revision only moves forward here. */
    public void recordAck(String nodeId, long servingRevision) {
        db.execute().createUpdate("UPDATE nodes SET serving_revision = greatest(serving_revision, ?) WHERE node_id = ?")
                .params(servingRevision, nodeId).execute();
    }

    public List<NodeRecord> list() {
        try (Stream<DbRow> rows = db.execute().query("SELECT " + COLUMNS + " FROM nodes ORDER BY node_id")) {
            return rows.map(NodeRepository::node).toList();
        }
    }

    /** Node ids by session hash: what authenticates a node's calls. */
    public java.util.Map<String, String> sessions() {
        try (Stream<DbRow> rows = db.execute().query("SELECT node_id, session_hash FROM nodes "
                + "WHERE session_hash IS NOT NULL")) {
            return rows.collect(java.util.stream.Collectors.toMap(r -> Rows.text(r, "session_hash"),
                    r -> Rows.text(r, "node_id")));
        }
    }

    private static NodeRecord node(DbRow r) {
        return new NodeRecord(Rows.text(r, "node_id"), Rows.text(r, "url"), Rows.number(r, "serving_revision"),
                Rows.instant(r, "registered_at"), Rows.instant(r, "last_seen"), Rows.text(r, "session_hash"),
                Rows.text(r, "push_key"));
    }
}
