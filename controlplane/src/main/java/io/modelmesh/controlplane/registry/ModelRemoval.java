package io.modelmesh.controlplane.registry;

import io.modelmesh.api.ModelDeletion;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.DeploymentRepository;
import io.modelmesh.controlplane.store.ModelRepository;
import io.modelmesh.controlplane.store.RemovalRepository;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Deletes a model version, or a whole model, that serves no traffic, and the stored files no remaining version uses.
 * "Serves traffic" means: named by the model's route in the current routing table, in any role (stable, canary,
 * shadow, A/B arm) and at any weight. A whole model goes with its deployment history, rollouts and shadow
 * comparisons; a single version's past revisions stay in the history (a rollback to one of them is refused).
 *
 * <p>The check and the deletes run in one transaction holding the revision lock, so no deployment can route to the
 * version in between; the files are deleted after the commit, under the store lock registration commits under, so a
 * registration of the same bytes cannot lose its file.
 */
public final class ModelRemoval {
    private static final Logger LOG = Logger.getLogger(ModelRemoval.class.getName());

    private final Database db;
    private final RemovalRepository rows;
    private final DeploymentRepository deployments;
    private final ModelRepository models;
    private final ArtifactStore store;
    private final Lock storeLock;

    /** @param storeLock the lock {@link RegistryService} commits artifacts under */
    public ModelRemoval(Database db, RemovalRepository rows, DeploymentRepository deployments, ModelRepository models,
                        ArtifactStore store, Lock storeLock) {
        this.db = db;
        this.rows = rows;
        this.deployments = deployments;
        this.models = models;
        this.store = store;
        this.storeLock = storeLock;
    }

    /**
     * @throws NotFoundException when the model or version does not exist
     * @throws ConflictException when the version serves traffic
     */
    public ModelDeletion deleteVersion(String model, String version) {
        ModelNames.require(model);
        String v = canonical(version);
        storeLock.lock();
        try {
            record Deleted(Set<String> shas, List<RemovalRepository.Artifact> artifacts) {
            }
            Deleted d = db.inTransaction(tx -> {
                rows.lockRevisions(tx);
                Optional<DeploymentRecord> latest = deployments.latest(tx, model);
                latest.ifPresent(r -> refuseIfServing(r.route(), Set.of(v), r.modelRevision()));
                Set<String> shas = rows.deleteVersion(tx, model, v).orElseThrow(() -> models.exists(tx, model)
                        ? missing(model, v) : new NotFoundException("model '" + model + "' is not registered"));
                return new Deleted(shas, rows.deleteUnreferencedArtifacts(tx, shas));
            });
            return new ModelDeletion(model, false, List.of(v), deleteFiles(d.artifacts()), bytes(d.artifacts()));
        } finally {
            storeLock.unlock();
        }
    }

    /**
     * @throws NotFoundException when the model does not exist
     * @throws ConflictException when any of its versions serves traffic
     */
    public ModelDeletion deleteModel(String model) {
        ModelNames.require(model);
        storeLock.lock();
        try {
            record Deleted(List<String> versions, List<RemovalRepository.Artifact> artifacts) {
            }
            Deleted d = db.inTransaction(tx -> {
                rows.lockRevisions(tx);
                if (!models.exists(tx, model)) {
                    throw new NotFoundException("model '" + model + "' is not registered");
                }
                Optional<DeploymentRecord> latest = deployments.latest(tx, model);
                latest.ifPresent(r -> refuseIfServing(r.route(), null, r.modelRevision()));
                Set<String> shas = rows.artifactsOf(tx, model);
                List<String> versions = rows.deleteModel(tx, model);
                return new Deleted(versions, rows.deleteUnreferencedArtifacts(tx, shas));
            });
            return new ModelDeletion(model, true, d.versions(), deleteFiles(d.artifacts()), bytes(d.artifacts()));
        } finally {
            storeLock.unlock();
        }
    }

    /**
     * Refuses when the route names any of {@code versions} (null: any version at all).
     */
    private static void refuseIfServing(ModelRoute route, Set<String> versions, long revision) {
        List<RouteTarget> serving = route.targets().stream()
                .filter(t -> versions == null || versions.contains(t.version())).toList();
        if (serving.isEmpty()) {
            return;
        }
        String what = serving.stream().map(t -> t.version() + " (" + t.role().name().toLowerCase(Locale.ROOT)
                + (t.role() == RouteTarget.Role.SHADOW ? ", mirrored " : ", ") + t.weight() + "%)")
                .collect(Collectors.joining(", "));
        String model = route.model();
        if (versions == null) {
            throw new ConflictException("model '" + model + "' serves traffic in revision " + revision + ": "
                    + what + "; take it off first with mmctl undeploy " + model + " (DELETE /deployments/" + model
                    + "), then delete it");
        }
        throw new ConflictException("version " + what + " of model '" + model + "' serves traffic in revision "
                + revision + "; deploy another version first (mmctl deploy " + model + " --version X.Y.Z), or take "
                + "the model off with mmctl undeploy " + model + ", then delete it");
    }

    /** Deletes the files of artifact rows already deleted; a failure leaves an orphan the next start removes. */
    private List<String> deleteFiles(List<RemovalRepository.Artifact> artifacts) {
        for (RemovalRepository.Artifact a : artifacts) {
            try {
                store.delete(a.sha256());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot delete artifact file " + a.sha256() + " (its row is gone; the file is "
                        + "removed at the next start)", e);
            }
        }
        return artifacts.stream().map(RemovalRepository.Artifact::sha256).toList();
    }

    private static long bytes(List<RemovalRepository.Artifact> artifacts) {
        return artifacts.stream().mapToLong(RemovalRepository.Artifact::sizeBytes).sum();
    }

    private static NotFoundException missing(String model, String version) {
        return new NotFoundException("model '" + model + "' has no version " + version);
    }

    private static String canonical(String version) {
        try {
            return SemVer.parse(version).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
