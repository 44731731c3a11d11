package io.modelmesh.controlplane.deploy;

import io.modelmesh.controlplane.store.AliasRepository;
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
    private final AliasRepository aliases;

    public RoutingTables(DeploymentRepository deployments, EpochKeeper epochs, AliasRepository aliases) {
        this.deployments = deployments;
        this.epochs = epochs;
        this.aliases = aliases;
    }

    @Override
    public RoutingTable current() {
        ClusterIdentity identity = epochs.current();
        return withAliases(build(deployments.latestPerModel()), aliases.byModel())
                .withIdentity(identity.clusterId(), identity.epoch());
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
     * The table with each routed model's aliases, so nodes resolve {@code ?version=@alias}. An alias change of a
     * deployed model is written as a revision of its own, so nodes fetch the table again.
     */
    public static RoutingTable withAliases(RoutingTable table, Map<String, Map<String, String>> aliases) {
        if (aliases.isEmpty()) {
            return table;
        }
        Map<String, ModelRoute> models = new TreeMap<>();
        table.models().forEach((name, route) -> models.put(name, route.withAliases(aliases.get(name))));
        return new RoutingTable(table.revision(), table.createdAt(), models, table.clusterId(), table.epoch());
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
