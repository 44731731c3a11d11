package io.modelmesh.controlplane.cluster;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.controlplane.rollout.OutcomeStore;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.NodeRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The leader's clean-up jobs, each in a transaction fenced by the controller lease: the node reaper forgets nodes
 * silent for {@link #FORGET_NODES_AFTER} (they join again if they come back), and outcome history older than the
 * analysis can reach is pruned.
 */
public final class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());
    public static final Duration FORGET_NODES_AFTER = Duration.ofHours(1);

    private final Database db;
    private final NodeRepository nodes;
    private final OutcomeStore outcomes;
    private final Leadership leadership;
    private final Clock clock;

    public Housekeeping(Database db, NodeRepository nodes, OutcomeStore outcomes, Leadership leadership, Clock clock) {
        this.db = db;
        this.nodes = nodes;
        this.outcomes = outcomes;
        this.leadership = leadership;
        this.clock = clock;
    }

    /** Forgets nodes silent since before now − {@link #FORGET_NODES_AFTER}. */
    public void reapNodes(Fence fence) {
        Instant before = clock.instant().minus(FORGET_NODES_AFTER);
        long forgotten = db.inTransaction(tx -> {
            leadership.check(tx, fence);
            return nodes.forgetSilentSince(tx, before);
        });
        if (forgotten > 0) {
            LOG.info("forgot " + forgotten + " node(s) silent since before " + before);
        }
    }

    /** Prunes outcome history the analysis cannot reach any more, and totals of replaced strategies. */
    public void pruneOutcomes(Fence fence) {
        Instant before = clock.instant().minusSeconds(AnalysisPolicy.MAX_HISTORY_SECONDS);
        db.inTransaction(tx -> {
            leadership.check(tx, fence);
            outcomes.prune(tx, before);
            return null;
        });
    }
}
