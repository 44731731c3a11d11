package io.modelmesh.controlplane.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Keeps the control plane's identity: reads it, and moves to a new epoch when a node of this cluster and epoch serves
 * a revision the database never reached. That happens when the database was restored from an older backup (revisions
 * the nodes saw were lost) or its newest revisions were deleted; nodes then adopt the new epoch's table although its
 * revision number is lower than theirs. At most one bump every {@link #MIN_EPOCH_AGE}, so a node that keeps claiming a
 * higher revision costs the fleet at most one table fetch per node that often.
 */
public final class EpochKeeper {
    private static final Logger LOG = Logger.getLogger(EpochKeeper.class.getName());
    static final Duration MIN_EPOCH_AGE = Duration.ofSeconds(10);

    private final IdentityStore identities;
    private final Clock clock;

    public EpochKeeper(IdentityStore identities, Clock clock) {
        this.identities = identities;
        this.clock = clock;
    }

    /** Writes the identity of a new database; called once at start. */
    public ClusterIdentity ensure() {
        return identities.ensure(clock.instant());
    }

    public ClusterIdentity current() {
        return identities.current();
    }

    /**
     * The identity to answer a node with, after moving to the next epoch if the node shows this database behind.
     *
     * @param nodeCluster    the cluster id of the table the node serves (null: none)
     * @param nodeEpoch      its epoch
     * @param nodeRevision   its revision
     * @param latestRevision the newest revision in this database
     */
    public ClusterIdentity afterReport(String nodeId, String nodeCluster, long nodeEpoch, long nodeRevision,
                                       long latestRevision) {
        ClusterIdentity now = identities.current();
        if (!now.is(nodeCluster, nodeEpoch) || nodeRevision <= latestRevision) {
            return now;
        }
        String reason = "node " + nodeId + " serves revision " + nodeRevision + " of epoch " + nodeEpoch
                + ", above this database's newest revision " + latestRevision + " (restored from an older backup, or "
                + "its newest revisions deleted)";
        return identities.bump(now.epoch(), clock.instant(), MIN_EPOCH_AGE, reason).map(bumped -> {
            LOG.warning("cluster " + bumped.clusterId() + " moves to epoch " + bumped.epoch() + ": " + reason
                    + "; every node adopts the current routing table of the new epoch");
            return bumped;
        }).orElseGet(identities::current);
    }
}
