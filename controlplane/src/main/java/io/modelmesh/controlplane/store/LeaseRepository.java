package io.modelmesh.controlplane.store;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.modelmesh.controlplane.cluster.Fence;
import io.modelmesh.controlplane.cluster.Lease;
import io.modelmesh.controlplane.cluster.LeaseStore;
import io.modelmesh.controlplane.cluster.NotLeaderException;

import java.time.Instant;
import java.util.Optional;

/**
 * The {@code leases} table. Every change is conditional on what was read (holder and token), so two control planes
 * racing for an expired lease get one winner. {@link #requireHeld} takes a share lock on the row: a takeover (an
 * UPDATE of the row) waits until a fenced transaction that checked the old token has ended, so a deposed holder's
 * write is either committed before the takeover or refused after it.
 */
public final class LeaseRepository implements LeaseStore {
    private final DbClient db;

    public LeaseRepository(DbClient db) {
        this.db = db;
    }

    @Override
    public Optional<Lease> find(String name) {
        return db.execute().get("SELECT name, holder, token, acquired_at, expires_at FROM leases WHERE name = ?", name)
                .map(LeaseRepository::lease);
    }

    @Override
    public boolean create(Lease l) {
        return db.execute().dml("INSERT INTO leases (name, holder, token, acquired_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING", l.name(), l.holder(), l.token(), Rows.param(l.acquiredAt()),
                Rows.param(l.expiresAt())) == 1;
    }

    @Override
    public boolean replace(Lease seen, Lease next) {
        return db.execute().dml("UPDATE leases SET holder = ?, token = ?, acquired_at = ?, expires_at = ? "
                        + "WHERE name = ? AND holder = ? AND token = ?", next.holder(), next.token(),
                Rows.param(next.acquiredAt()), Rows.param(next.expiresAt()), seen.name(), seen.holder(),
                seen.token()) == 1;
    }

    @Override
    public boolean extend(String name, String holder, long token, Instant expiresAt) {
        return db.execute().dml("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ?",
                Rows.param(expiresAt), name, holder, token) == 1;
    }

    @Override
    public void release(String name, String holder, long token, Instant now) {
        db.execute().dml("UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ?",
                Rows.param(now), name, holder, token);
    }

    @Override
    public void requireHeld(DbExecute tx, Fence fence) {
        boolean held = tx.get("SELECT token FROM leases WHERE name = ? AND holder = ? AND token = ? FOR SHARE",
                fence.lease(), fence.holder(), fence.token()).isPresent();
        if (!held) {
            throw new NotLeaderException(fence);
        }
    }

    private static Lease lease(DbRow r) {
        return new Lease(Rows.text(r, "name"), Rows.text(r, "holder"), Rows.number(r, "token"),
                Rows.instant(r, "acquired_at"), Rows.instant(r, "expires_at"));
    }
}
