package io.modelmesh.controlplane.deploy;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.controlplane.cluster.ClusterIdentity;
import io.modelmesh.controlplane.cluster.EpochKeeper;
import io.modelmesh.controlplane.nodes.RoutingSource;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.DeploymentRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The routing table, built from each model's latest deployment, under the control plane's identity. */
public final class RoutingTables implements RoutingSource {
    private final DeploymentRepository deployments;
    private final EpochKeeper epochs;

    public RoutingTables(DeploymentRepository deployments, EpochKeeper epochs) {
        this.deployments = deployments;
        this.epochs = epochs;
    }

    @Override
    public RoutingTable current() {
        ClusterIdentity identity = epochs.current();
        return build(deployments.latestPerModel()).withIdentity(identity.clusterId(), identity.epoch());
    }

    @Override
    public ClusterIdentity identity() {
        return epochs.current();
    }

    @Override
    public long latestRevision() {
        return deployments.latestRevision();
    }

    /**
     * The table for each model's latest change: its revision is the largest of theirs and its time that change's, so
     * the same deployments always give the same table. Models whose latest change routes to no version (undeployed)
     * are left out.
     */
    public static RoutingTable build(Collection<DeploymentRecord> latestPerModel) {
        if (latestPerModel.isEmpty()) {
            return RoutingTable.empty();
        }
        Map<String, ModelRoute> models = new TreeMap<>();
        DeploymentRecord newest = null;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (DeploymentRecord d : latestPerModel) {
            if (!seen.add(d.model())) {
                throw new IllegalArgumentException("two latest deployments for model " + d.model());
            }
            if (!d.route().targets().isEmpty()) {
                models.put(d.model(), d.route()); // an undeployed model (no target) is not in the table: nodes drop it
            }
            if (newest == null || d.revision() > newest.revision()) {
                newest = d;
            }
        }
        Instant createdAt = newest.createdAt() == null ? Instant.EPOCH : newest.createdAt();
        return new RoutingTable(newest.revision(), createdAt, models);
    }
}
