package io.modelmesh.controlplane.cluster;

import io.helidon.dbclient.DbExecute;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases in memory, with the compare-and-set semantics of the {@code leases} table. {@link #requireHeld} ignores the
 * transaction (there is none): it checks the holder and token at the moment it is called.
 */
public final class MemoryLeases implements LeaseStore {
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    @Override
    public Optional<Lease> find(String name) {
        return Optional.ofNullable(leases.get(name));
    }

    @Override
    public boolean create(Lease lease) {
        return leases.putIfAbsent(lease.name(), lease) == null;
    }

    @Override
    public synchronized boolean replace(Lease seen, Lease next) {
        Lease now = leases.get(seen.name());
        if (now == null || !now.holder().equals(seen.holder()) || now.token() != seen.token()) {
            return false;
        }
        leases.put(next.name(), next);
        return true;
    }

    @Override
    public synchronized boolean extend(String name, String holder, long token, Instant expiresAt) {
        Lease now = leases.get(name);
        if (now == null || !now.holder().equals(holder) || now.token() != token) {
            return false;
        }
        leases.put(name, new Lease(name, holder, token, now.acquiredAt(), expiresAt));
        return true;
    }

    @Override
    public void release(String name, String holder, long token, Instant at) {
        extend(name, holder, token, at);
    }

    @Override
    public void requireHeld(DbExecute tx, Fence fence) {
        Lease now = leases.get(fence.lease());
        if (now == null || !now.holder().equals(fence.holder()) || now.token() != fence.token()) {
            throw new NotLeaderException(fence);
        }
    }
}
