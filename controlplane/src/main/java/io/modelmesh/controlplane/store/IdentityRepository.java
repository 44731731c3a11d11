package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.modelmesh.controlplane.cluster.ClusterIdentity;
import io.modelmesh.controlplane.cluster.IdentityStore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The {@code cluster_identity} row: the database's cluster id and epoch. */
public final class IdentityRepository implements IdentityStore {
    private final DbClient db;

    public IdentityRepository(DbClient db) {
        this.db = db;
    }

    /** Two control planes starting at once on a new database agree on the row the first one wrote. */
    @Override
    public ClusterIdentity ensure(Instant now) {
        db.execute().dml("INSERT INTO cluster_identity (cluster_id, epoch, created_at, epoch_since, epoch_reason) "
                + "VALUES (CAST(? AS uuid), 1, ?, ?, 'database created') ON CONFLICT (singleton) DO NOTHING",
                UUID.randomUUID().toString(), Rows.param(now), Rows.param(now));
        return current();
    }

    @Override
    public ClusterIdentity current() {
        DbRow row = db.execute().get("SELECT cluster_id::text AS cluster_id, epoch FROM cluster_identity")
                .orElseThrow(() -> new IllegalStateException("the database has no cluster identity row"));
        return new ClusterIdentity(Rows.text(row, "cluster_id"), Rows.number(row, "epoch"));
    }

    @Override
    public Optional<ClusterIdentity> bump(long from, long to, Instant now, Duration minAge, String reason) {
        if (to <= from) {
            throw new IllegalArgumentException("an epoch only grows: from " + from + " to " + to);
        }
        return db.execute().createGet("UPDATE cluster_identity SET epoch = ?, epoch_since = ?, epoch_reason = ? "
                        + "WHERE epoch = ? AND epoch_since <= ? RETURNING cluster_id::text AS cluster_id, epoch")
                .params(to, Rows.param(now), reason, from, Rows.param(now.minus(minAge)))
                .execute()
                .map(r -> new ClusterIdentity(Rows.text(r, "cluster_id"), Rows.number(r, "epoch")));
    }
}
