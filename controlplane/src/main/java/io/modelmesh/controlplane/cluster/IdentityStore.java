package io.modelmesh.controlplane.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Where the cluster identity lives (the {@code cluster_identity} row). */
public interface IdentityStore {
    /** The identity, written first (a new random cluster id, epoch 1) when there is none. */
    ClusterIdentity ensure(Instant now);

    ClusterIdentity current();

    /**
     * Moves from epoch {@code from} to epoch {@code to} (above it), unless another process already moved it or the
     * epoch changed less than {@code minAge} ago. @return the new identity when this call moved it
     */
    Optional<ClusterIdentity> bump(long from, long to, Instant now, Duration minAge, String reason);
}
