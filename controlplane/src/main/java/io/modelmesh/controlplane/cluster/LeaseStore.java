package io.modelmesh.controlplane.cluster;

import io.helidon.dbclient.DbExecute;

import java.time.Instant;
import java.util.Optional;

/**
 * Where leases live: PostgreSQL ({@code LeaseRepository}) in production, memory in tests. Every change is a
 * compare-and-set.
 */
public interface LeaseStore {
    Optional<Lease> find(String name);

    /** Creates the lease (token 1) unless it exists. @return whether this call created it */
    boolean create(Lease lease);

    /**
     * Replaces the lease {@code seen} (same holder and token, still there) with {@code next}.
     *
     * @return whether it was replaced (false: someone else changed it first)
     */
    boolean replace(Lease seen, Lease next);

    /** Extends the holder's lease, if it still holds it with {@code token}. @return whether it did */
    boolean extend(String name, String holder, long token, Instant expiresAt);

    /** Ends the holder's lease now (a graceful stop), if it still holds it with {@code token}. */
    void release(String name, String holder, long token, Instant now);

    /**
     * Fails the transaction unless {@code fence} is still the lease's holder and token. Locks the lease row until the
     * transaction ends, so no other process can take the lease over between the check and the commit.
     *
     * @throws NotLeaderException when the lease was taken over
     */
    void requireHeld(DbExecute tx, Fence fence);
}
