package io.modelmesh.controlplane.cluster;

import io.helidon.dbclient.DbExecute;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This control plane's part in one lease: every {@link #step()} renews the lease while it holds it, or takes it when
 * it is free or expired. Times come from this process's clock; safety does not depend on them: a holder's writes carry
 * its {@link Fence}, checked in their transaction, so a deposed holder (a paused process, a skewed clock) cannot write
 * once another took the lease over. A renewal that fails (lease taken over, database unreachable) steps down at once.
 * Not thread-safe: one loop ({@link LeaderJobs}) steps it; {@link #fence()} and {@link #leading()} may be read
 * anywhere.
 */
public final class Leadership {
    private static final Logger LOG = Logger.getLogger(Leadership.class.getName());

    private final LeaseStore store;
    private final String name;
    private final String holder;
    private final Duration ttl;
    private final Clock clock;
    private volatile Fence fence;
    private volatile Instant since;
    private boolean warned;

    /**
     * @param holder this process's identity (unique per process: it also names the leader in {@code GET /health})
     * @param ttl    how long a lease lasts without renewal: the longest a dead leader keeps it
     */
    public Leadership(LeaseStore store, String name, String holder, Duration ttl, Clock clock) {
        this.store = store;
        this.name = name;
        this.holder = holder;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** One round: renew, or try to take the lease. @return whether this process leads afterwards */
    public boolean step() {
        Instant now = clock.instant();
        try {
            Fence held = fence;
            if (held != null) {
                if (store.extend(name, holder, held.token(), now.plus(ttl))) {
                    return true;
                }
                stepDown("the lease was taken over");
            }
            boolean leads = acquire(now);
            warned = false;
            return leads;
        } catch (RuntimeException e) {
            if (fence != null) {
                stepDown("renewing it failed: " + e.getMessage());
            } else if (!warned) {
                LOG.log(Level.WARNING, holder + " cannot read the " + name + " lease: " + e.getMessage());
                warned = true;
            }
            return false;
        }
    }

    private boolean acquire(Instant now) {
        Optional<Lease> seen = store.find(name);
        Lease next;
        if (seen.isEmpty()) {
            next = new Lease(name, holder, 1, now, now.plus(ttl));
            if (!store.create(next)) {
                return false;
            }
        } else if (seen.get().holder().equals(holder)) {
            // ours already (a renewal failed without losing it): go on with the same token
            if (!store.extend(name, holder, seen.get().token(), now.plus(ttl))) {
                return false;
            }
            next = seen.get();
        } else if (!seen.get().expiresAt().isAfter(now)) {
            next = new Lease(name, holder, seen.get().token() + 1, now, now.plus(ttl));
            if (!store.replace(seen.get(), next)) {
                return false;
            }
        } else {
            return false;
        }
        fence = new Fence(name, holder, next.token());
        since = now;
        LOG.info(holder + " holds the " + name + " lease (token " + next.token() + ")"
                + seen.filter(l -> !l.holder().equals(holder)).map(l -> ", taken over from " + l.holder()).orElse(""));
        return true;
    }

    private void stepDown(String why) {
        LOG.warning(holder + " no longer holds the " + name + " lease: " + why);
        fence = null;
        since = null;
    }

    /** Whether this process holds the lease (as of its last step). */
    public boolean leading() {
        return fence != null;
    }

    /** The proof to write under, while leading. */
    public Optional<Fence> fence() {
        return Optional.ofNullable(fence);
    }

    /** Since when this process leads, or null. */
    public Instant since() {
        return since;
    }

    public String holder() {
        return holder;
    }

    /**
     * Fails {@code tx} unless {@code held} still holds the lease.
     *
     * @throws NotLeaderException when it was taken over
     */
    public void check(DbExecute tx, Fence held) {
        store.requireHeld(tx, held);
    }

    /** Gives the lease up (a graceful stop): another process takes over at its next step, not after the TTL. */
    public void release() {
        Fence held = fence;
        if (held == null) {
            return;
        }
        fence = null;
        since = null;
        try {
            store.release(name, holder, held.token(), clock.instant());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "releasing the " + name + " lease failed; it expires on its own", e);
        }
    }
}
