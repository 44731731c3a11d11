package io.modelmesh.controlplane.deploy;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.Stage;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.VersionRepository;

import java.util.Map;
import java.util.Optional;

/**
 * Moves version stages as revisions are written, inside their transaction ({@link StageMoves}). Chaos revisions only
 * change faults and are skipped.
 */
public final class StageKeeper implements RevisionHook {
    private final VersionRepository versions;

    public StageKeeper(VersionRepository versions) {
        this.versions = versions;
    }

    @Override
    public void written(DbExecute tx, DeploymentRecord written, Optional<DeploymentRecord> previous) {
        if ("chaos".equals(written.source())) {
            return;
        }
        Map<String, Stage> moves = StageMoves.of(previous.map(DeploymentRecord::route).orElse(null), written.route());
        moves.forEach((version, stage) -> versions.setStage(tx, written.model(), version, stage));
    }
}
