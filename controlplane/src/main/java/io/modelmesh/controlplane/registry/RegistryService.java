package io.modelmesh.controlplane.registry;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.ServedArtifact;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.server.config.Settings;
import io.modelmesh.controlplane.drift.DriftReferences;
import io.modelmesh.controlplane.drift.ReferenceFile;
import io.modelmesh.server.errors.ApiException;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.UnavailableException;
import io.modelmesh.server.errors.UnprocessableModelException;
import io.modelmesh.controlplane.metrics.ControlPlaneMetrics;
import io.modelmesh.controlplane.registry.RegistrationRequest.Registration;
import io.modelmesh.controlplane.store.ArtifactRepository;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.ModelRepository;
import io.modelmesh.controlplane.store.VersionRepository;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.validate.ModelValidator;
import io.modelmesh.engine.validate.Verdict;
import io.modelmesh.sklearn.Conversion;
import io.modelmesh.sklearn.SklearnConverter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Registers uploaded artifacts as immutable model versions. Everything slow (receiving the bytes, loading the model to
 * validate it and read its schema) happens before a short critical section that assigns the version, stores the
 * artifact under its hash and writes the rows in one transaction. On any failure no row and no new file remain.
 *
 * <p>Uploads are untrusted: only the allowed frameworks are accepted, a pickle is converted in Java with every size it
 * declares bounded by the upload limit, and loading and warming a model happens in a child process bounded in time
 * and memory ({@link ModelValidator}), never in this one.
 */
public final class RegistryService {
    private static final Logger LOG = Logger.getLogger(RegistryService.class.getName());

    private final Database db;
    private final ModelRepository models;
    private final VersionRepository versions;
    private final ArtifactRepository artifacts;
    private final ArtifactStore store;
    private final ModelValidator validator;
    private final Set<Framework> allowed;
    private final SklearnConverter converter;
    private final DeploymentService deployments;
    private final ControlPlaneMetrics metrics;
    private final DriftReferences references;
    private final Clock clock;
    /**
     * Serialises what changes which stored files are referenced: version assignment, artifact commit and clean-up,
     * and {@link ModelRemoval}'s deletes (one control plane process owns a home).
     */
    private final ReentrantLock commitLock = new ReentrantLock();

    /**
     * @param validator      loads and warms each upload in a bounded child process
     * @param allowed        the frameworks registration accepts
     * @param maxUploadBytes the upload limit, which also bounds the data a compressed pickle may inflate to
     */
    public RegistryService(Database db, ModelRepository models, VersionRepository versions, ArtifactRepository artifacts,
                           ArtifactStore store, ModelValidator validator, Set<Framework> allowed, long maxUploadBytes,
                           DeploymentService deployments, ControlPlaneMetrics metrics, DriftReferences references,
                           Clock clock) {
        this.db = db;
        this.models = models;
        this.versions = versions;
        this.artifacts = artifacts;
        this.store = store;
        this.validator = validator;
        this.allowed = Set.copyOf(allowed);
        this.converter = new SklearnConverter(maxUploadBytes);
        this.deployments = deployments;
        this.metrics = metrics;
        this.references = references;
        this.clock = clock;
    }

    /** The lock artifact commits happen under, for {@link ModelRemoval} to delete files under too. */
    public java.util.concurrent.locks.Lock storeLock() {
        return commitLock;
    }

    /**
     * Registers {@code upload} (already received into the store's temporary area) as described by {@code request}. The
     * upload's temporary file is always gone afterwards: committed under its hash or deleted.
     */
    public RegistrationResult register(RegistrationRequest request, ArtifactStore.Upload upload) {
        return register(request, upload, null);
    }

    /**
     * The same, with a drift reference (validated against the version's schema and stored with it), or null.
     */
    public RegistrationResult register(RegistrationRequest request, ArtifactStore.Upload upload,
                                       ReferenceFile reference) {
        try {
            RegistrationResult result = doRegister(request.validate(), upload, reference);
            metrics.registration(result.created() ? "created" : "unchanged");
            return result;
        } catch (ApiException e) {
            metrics.registration(e.code());
            throw e;
        } catch (RuntimeException e) {
            metrics.registration("error");
            throw e;
        } finally {
            store.discard(upload);
        }
    }

    private RegistrationResult doRegister(Registration r, ArtifactStore.Upload upload, ReferenceFile reference) {
        if (r.version() != null) {
            Optional<RegistrationResult> existing = existing(r.name(), r.version(), upload);
            if (existing.isPresent()) {
                references.checkRetry(r.name(), r.version().toString(), reference);
                return updateMetadata(r, existing.get());
            }
        }
        Framework framework = r.framework() != null ? r.framework() : detect(upload, r.filename());
        requireAllowed(framework, r.framework() != null);
        Prepared validated = prepare(framework, upload, r.features(), r.filename());
        Optional<ModelVersion> lender = r.features().isEmpty() ? previousWithFeatures(r.name(), validated.schema())
                : Optional.empty();
        Prepared prepared = lender.map(p -> validated.withFeatures(p.schema().features())).orElse(validated);
        String featuresFrom = lender.map(ModelVersion::version).orElse(null);
        Stored stored;
        try {
            DriftReferences.Prepared drift = reference == null ? null
                    : references.prepare(reference, prepared.schema());
            stored = commit(r, framework, prepared, upload, drift);
        } finally {
            if (prepared.converted() != null) {
                store.discard(prepared.converted());
            }
        }
        if (stored.deployment() instanceof DeploymentRecord d) {
            DeploymentStatus status = deployments.publish(d);
            return new RegistrationResult(versions.find(r.name(), stored.version().version())
                    .orElse(stored.version()), true, status, featuresFrom, List.of());
        }
        if (stored.existing()) {
            return new RegistrationResult(stored.version(), false, null);
        }
        return new RegistrationResult(stored.version(), true, null, featuresFrom, List.of());
    }

    /**
     * The version the new one takes its feature names from: the model's highest version, when it has feature names,
     * the new version's artifact names none and its input width is their number ({@link InputSchemas#inheritable}).
     */
    private Optional<ModelVersion> previousWithFeatures(String model, ModelSchema schema) {
        if (!schema.features().isEmpty()) {
            return Optional.empty();
        }
        List<ModelVersion> known = versions.list(model);
        return known.isEmpty() ? Optional.empty() : Optional.of(known.getLast())
                .filter(v -> v.schema() != null && InputSchemas.inheritable(schema, v.schema().features()));
    }

    /**
     * A registration of bytes already registered under that version, with metadata of its own: what is safe to update
     * is updated (feature names when the version has none, they fit its input width and no route uses it yet;
     * metadata, merged key by key), anything else is refused with the reason. The bytes never change.
     *
     * @throws ConflictException when the version has other feature names, or serves traffic (its nodes bound its
     *                           input already)
     * @throws InvalidInputException when the feature names do not fit the version's input width
     */
    private RegistrationResult updateMetadata(Registration r, RegistrationResult existing) {
        ModelVersion v = existing.version();
        List<String> features = r.features();
        boolean newFeatures = !features.isEmpty() && !features.equals(v.schema().features());
        java.util.Map<String, String> merged = new java.util.TreeMap<>(v.metadata());
        merged.putAll(r.metadata());
        boolean newMetadata = !merged.equals(new java.util.TreeMap<>(v.metadata()));
        if (!newFeatures && !newMetadata) {
            return existing;
        }
        String at = "model '" + v.model() + "' version " + v.version();
        if (newFeatures) {
            if (!v.schema().features().isEmpty()) {
                throw new ConflictException(at + " already has feature names " + v.schema().features() + "; they "
                        + "are part of the registered version and do not change: register the bytes under a new "
                        + "version with --features " + String.join(",", features));
            }
            int width = InputSchemas.width(v.schema());
            if (!InputSchemas.namesFit(v.schema(), features)) {
                throw new InvalidInputException("--features names " + features.size() + " columns but " + at
                        + " takes " + width + " per row");
            }
            deployments.latest(v.model()).filter(d -> d.route().targets().stream()
                    .anyMatch(t -> t.version().equals(v.version()))).ifPresent(d -> {
                        throw new ConflictException(at + " is routed (revision " + d.revision() + ": " + d.change()
                                + "), so nodes serve it without feature names already; register the bytes under a "
                                + "new version with --features, or take this one out of the route first (mmctl "
                                + "rollback " + v.model() + ")");
                    });
        }
        List<String> updated = new java.util.ArrayList<>();
        db.inTransaction(tx -> {
            if (newFeatures) {
                versions.updateFeatures(tx, v.model(), v.version(), features);
                updated.add("features");
            }
            if (newMetadata) {
                versions.updateMetadata(tx, v.model(), v.version(), merged);
                updated.add("metadata");
            }
            return null;
        });
        ModelVersion now = versions.find(v.model(), v.version()).orElseThrow();
        return new RegistrationResult(now, false, null, null, updated);
    }

    /** The same version registered before: same bytes = idempotent retry, other bytes = conflict. */
    private Optional<RegistrationResult> existing(String name, SemVer version, ArtifactStore.Upload upload) {
        return versions.find(name, version.toString()).map(v -> {
            if (!v.sha256().equals(upload.sha256())) {
                throw new ConflictException("model '" + name + "' already has version " + v.version()
                        + " with other bytes (stored sha256 " + v.sha256() + ", uploaded " + upload.sha256()
                        + "); versions are immutable: register these bytes under a new version, or omit the version "
                        + "to get the next one");
            }
            return new RegistrationResult(v, false, null);
        });
    }

    /**
     * Refuses a framework the operator did not allow: 400 when the request named it, 422 when the file turned out to
     * be one.
     */
    private void requireAllowed(Framework framework, boolean declared) {
        if (allowed.contains(framework)) {
            return;
        }
        String why = "this control plane accepts " + Settings.list(allowed) + " models only (MM_ALLOWED_FRAMEWORKS / "
                + "--allowed-frameworks)" + (framework == Framework.TORCHSCRIPT ? "; TorchScript is code that runs "
                + "inside the servers, so operators allow it only for trusted publishers" : "")
                + "; export the model to one of those formats";
        if (declared) {
            throw new InvalidInputException("framework '" + framework.wireName() + "' is not accepted: " + why);
        }
        throw new UnprocessableModelException("the uploaded file is a " + framework.wireName() + " model, which is not "
                + "accepted: " + why);
    }

    private static Framework detect(ArtifactStore.Upload upload, String filename) {
        return switch (FrameworkDetector.detect(upload.head(), filename)) {
            case FrameworkDetector.Detected d -> d.framework();
            case FrameworkDetector.Undetermined u -> throw new UnprocessableModelException(u.reason());
        };
    }

    /**
     * A validated upload: its schema and, for a pickle, the PMML converted from it (a temporary file until committed).
     *
     * @param served what nodes will load instead of the upload, or null
     */
    private record Prepared(ModelSchema schema, ArtifactStore.Upload converted, ServedArtifact served) {
        Prepared withFeatures(List<String> features) {
            return new Prepared(new ModelSchema(schema.inputs(), schema.outputs(), features), converted, served);
        }
    }

    /**
     * Validates the upload with the engine nodes will serve it with. A scikit-learn pickle is first converted to PMML
     * in Java (never unpickled by Python), and it is the PMML that is validated, stored and served.
     */
    private Prepared prepare(Framework framework, ArtifactStore.Upload upload, List<String> features,
                             String filename) {
        if (framework != Framework.SKLEARN) {
            return new Prepared(inspect(framework, upload.tempFile(), features, upload, filename), null, null);
        }
        Path pmml = null;
        ArtifactStore.Upload converted = null;
        try {
            pmml = store.newTempFile();
            Path target = pmml;
            Conversion conversion = explained(upload, filename,
                    () -> converter.convert(upload.tempFile(), features, target));
            converted = store.ingest(pmml);
            ModelSchema schema = inspect(framework, converted.tempFile(), features, upload, filename);
            ServedArtifact served = new ServedArtifact(converted.sha256(), converted.size(), "pmml",
                    conversion.converter());
            return new Prepared(schema, converted, served);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the converted model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (converted != null) {
                store.discard(converted);
            }
            throw e;
        } finally {
            if (converted == null && pmml != null) {
                deleteQuietly(pmml);
            }
        }
    }

    /** Loads, warms and describes the file in a bounded child process; refusals become 422s naming the user's file. */
    private ModelSchema inspect(Framework framework, Path file, List<String> features, ArtifactStore.Upload upload,
                                String filename) {
        return switch (validator.validate(framework, file, features)) {
            case Verdict.Valid v -> v.schema();
            case Verdict.Refused r -> throw new UnprocessableModelException(shownAs(r.message(), file, upload, filename));
            case Verdict.Unavailable u -> throw new UnavailableException("the model could not be validated now: "
                    + u.message());
        };
    }

    /** An engine's message about a temporary file, rewritten for the uploader, who knows the file by its own name. */
    private static String shownAs(String message, Path file, ArtifactStore.Upload upload, String filename) {
        String shown = filename == null || filename.isBlank() ? "the uploaded file" : filename;
        String m = String.valueOf(message).replace(file.toString(), shown).replace(upload.tempFile().toString(), shown);
        return m.contains(shown) ? m : shown + ": " + m;
    }

    /** An engine or converter step whose {@link InvalidModelException} becomes a 422 that names the user's file. */
    private interface ModelStep<T> {
        T run() throws InvalidModelException;
    }

    private static <T> T explained(ArtifactStore.Upload upload, String filename, ModelStep<T> step) {
        try {
            return step.run();
        } catch (InvalidModelException e) {
            throw new UnprocessableModelException(shownAs(e.getMessage(), upload.tempFile(), upload, filename), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete " + file + "; it is removed at the next start", e);
        }
    }

    /** What the critical section wrote (or found). */
    private record Stored(ModelVersion version, DeploymentRecord deployment, boolean existing) {
    }

    private Stored commit(Registration r, Framework framework, Prepared prepared, ArtifactStore.Upload upload,
                          DriftReferences.Prepared drift) {
        commitLock.lock();
        ArtifactStore.Stored file = null;
        ArtifactStore.Stored servedFile = null;
        try {
            if (r.version() != null) {
                // registered concurrently since the first check?
                Optional<RegistrationResult> again = existing(r.name(), r.version(), upload);
                if (again.isPresent()) {
                    if (drift != null) {
                        references.checkRetry(r.name(), r.version().toString(), drift.file());
                    }
                    return new Stored(again.get().version(), null, true);
                }
            }
            List<SemVer> known = versions.versions(db.client().execute(), r.name());
            SemVer version = r.version() != null ? r.version() : SemVer.next(known);
            String parent = SemVer.highest(known).map(SemVer::toString).orElse(null);
            boolean firstVersion = known.isEmpty();
            file = store.commit(upload);
            if (prepared.converted() != null) {
                servedFile = store.commit(prepared.converted());
            }
            Instant now = clock.instant();
            ModelVersion v = new ModelVersion(r.name(), version.toString(), framework.wireName(), upload.sha256(),
                    upload.size(), prepared.schema(), r.metadata(), parent, now, r.createdBy(), prepared.served());
            DeploymentRecord deployment = db.inTransaction(tx -> {
                models.insertIfAbsent(tx, r.name(), framework.wireName(), now);
                artifacts.insertIfAbsent(tx, upload.sha256(), upload.size(), now);
                if (v.served() != null) {
                    artifacts.insertIfAbsent(tx, v.served().sha256(), v.served().sizeBytes(), now);
                }
                versions.insert(tx, v);
                if (drift != null) {
                    references.store(tx, v, drift, now);
                }
                return r.deploy() && firstVersion ? deployments.record(tx, v, r.createdBy()) : null;
            });
            return new Stored(v, deployment, false);
        } catch (IOException e) {
            removeIfUnreferenced(file);
            removeIfUnreferenced(servedFile);
            throw new UncheckedIOException("cannot store the artifact: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            removeIfUnreferenced(file);
            removeIfUnreferenced(servedFile);
            throw e;
        } finally {
            commitLock.unlock();
        }
    }

    /** Undoes a commit whose rows were not written (unless other versions use the same bytes). */
    private void removeIfUnreferenced(ArtifactStore.Stored file) {
        if (file == null || !file.newlyStored()) {
            return;
        }
        try {
            if (!versions.referencesArtifact(db.client().execute(), file.sha256())) {
                store.delete(file.sha256());
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot remove artifact " + file.sha256() + " of a failed registration; it is "
                    + "removed at the next start", e);
        }
    }

    /**
     * Deletes stored artifacts no database row knows (left by a crash between storing and committing). Called at start,
     * before requests are served.
     */
    public int removeOrphanArtifacts() throws IOException {
        Set<String> known = artifacts.all();
        int removed = 0;
        for (String sha : store.list()) {
            if (!known.contains(sha)) {
                store.delete(sha);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed " + removed + " artifact(s) without a registry entry from " + store.directory());
        }
        return removed;
    }
}
