package io.modelmesh.controlplane.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Keeps the control plane's identity: reads it, and moves to a new epoch when a node of this cluster serves a revision
 * of this epoch the database never reached, or a later epoch than the database's. That happens when the database was
 * restored from an older backup (revisions, or an epoch change, the nodes saw were lost) or its newest revisions were
 * deleted; the new epoch is above every epoch the node reported, so nodes adopt its table although its revision
 * number is lower than theirs. At most one bump every {@link #MIN_EPOCH_AGE}, so a node that keeps claiming a
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
        boolean sameCluster = now.clusterId().equals(nodeCluster);
        boolean laterEpoch = sameCluster && nodeEpoch > now.epoch();
        boolean aheadInEpoch = now.is(nodeCluster, nodeEpoch) && nodeRevision > latestRevision;
        if (!laterEpoch && !aheadInEpoch) {
            return now;
        }
        String reason = laterEpoch
                ? "node " + nodeId + " serves epoch " + nodeEpoch + ", later than this database's epoch " + now.epoch()
                        + " (restored from a backup older than the last epoch change)"
                : "node " + nodeId + " serves revision " + nodeRevision + " of epoch " + nodeEpoch
                        + ", above this database's newest revision " + latestRevision + " (restored from an older "
                        + "backup, or its newest revisions deleted)";
        long next = Math.max(now.epoch(), nodeEpoch) + 1; // above every epoch a node has seen: they all adopt it
        return identities.bump(now.epoch(), next, clock.instant(), MIN_EPOCH_AGE, reason).map(bumped -> {
            LOG.warning("cluster " + bumped.clusterId() + " moves to epoch " + bumped.epoch() + ": " + reason
                    + "; every node adopts the current routing table of the new epoch");
            return bumped;
        }).orElseGet(identities::current);
    }
}
