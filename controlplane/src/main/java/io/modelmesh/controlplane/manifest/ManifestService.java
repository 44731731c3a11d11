package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.ApplyRequest;
import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.api.ManifestChange;
import io.modelmesh.api.ManifestFile;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.InvalidManifestException;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.controlplane.registry.SemVer;
import io.modelmesh.controlplane.store.DeploymentRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mmctl apply} / {@code mmctl diff}: validates every manifest of every file first (nothing is written unless all
 * are valid), then writes every changed model as a new revision in one transaction and pushes the table once.
 * Applying the same manifests again changes nothing.
 */
public final class ManifestService {
    /** The {@code source} of revisions written by apply. */
    public static final String SOURCE = "apply";

    private final DeploymentService deployments;
    private final ModelCatalog catalog;

    public ManifestService(DeploymentService deployments, ModelCatalog catalog) {
        this.deployments = deployments;
        this.catalog = catalog;
    }

    /** One manifest as read, with the document it came from (to locate later problems). */
    private record Located(YamlDocument doc, Manifest manifest) {
    }

    /** One manifest's plan against the model's latest revision. */
    private record Step(Located source, PlannedChange change, Optional<DeploymentRecord> latest, String action) {
    }

    /**
     * Validates and (unless {@code request.dryRun()}) applies the manifests.
     *
     * @throws InvalidManifestException with every problem of every file, when any manifest is invalid
     */
    public ApplyResult apply(ApplyRequest request, String user) {
        if (request.files().isEmpty()) {
            throw new InvalidInputException("send at least one manifest: {\"files\": [{\"name\": \"iris.yaml\", "
                    + "\"content\": \"apiVersion: modelmesh.io/v1\\n...\"}], \"dry_run\": false}");
        }
        List<ErrorDetail> problems = new ArrayList<>();
        List<Located> manifests = read(request.files(), problems);
        rejectDuplicates(manifests, problems);
        for (Located m : manifests) {
            checkRegistered(m, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(problems);
        }
        List<Step> steps = manifests.stream().map(this::plan).toList();
        if (request.dryRun()) {
            return new ApplyResult(true, steps.stream().map(s -> change(s, null, null)).toList());
        }
        return write(steps, user);
    }

    private List<Located> read(List<ManifestFile> files, List<ErrorDetail> problems) {
        List<Located> found = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ManifestFile file = files.get(i);
            String name = file == null || file.name() == null || file.name().isBlank() ? "file " + (i + 1)
                    : file.name();
            if (file == null || file.content() == null) {
                problems.add(new ErrorDetail(name, null, null, null, "has no content"));
                continue;
            }
            switch (YamlDocuments.parse(name, file.content())) {
                case YamlDocuments.SyntaxError e -> problems.add(e.detail());
                case YamlDocuments.Documents d -> {
                    if (d.documents().isEmpty()) {
                        problems.add(new ErrorDetail(name, null, null, null, "holds no manifest (an empty file?)"));
                    }
                    for (YamlDocument doc : d.documents()) {
                        switch (ManifestReader.read(doc)) {
                            case ManifestReader.Valid v -> found.add(new Located(doc, v.manifest()));
                            case ManifestReader.Invalid bad -> problems.addAll(bad.problems());
                        }
                    }
                }
            }
        }
        return found;
    }

    private static void rejectDuplicates(List<Located> manifests, List<ErrorDetail> problems) {
        Map<String, Located> first = new HashMap<>();
        for (Located m : manifests) {
            Located earlier = first.putIfAbsent(m.manifest().name(), m);
            if (earlier != null) {
                problems.add(m.doc().detail("metadata.name", "model '" + m.manifest().name() + "' is already "
                        + "deployed by the manifest at " + earlier.doc().file() + " line "
                        + earlier.doc().locate("metadata.name").line() + "; keep one manifest per model"));
            }
        }
    }

    /** Reports a model or version the registry does not know, at the field that names it. */
    private void checkRegistered(Located m, List<ErrorDetail> problems) {
        String model = m.manifest().name();
        List<String> registered;
        try {
            registered = catalog.versions(model).stream().map(ModelVersion::version).toList();
        } catch (NotFoundException e) {
            problems.add(m.doc().detail("metadata.name", "model '" + model + "' is not registered; register it first "
                    + "with mmctl register (POST /models)"));
            return;
        }
        versionFields(m.manifest().spec()).forEach((field, ref) -> {
            String version;
            try {
                version = deployments.resolveVersion(model, ref);
            } catch (NotFoundException e) {
                problems.add(m.doc().detail(field, e.getMessage()));
                return;
            }
            if (!registered.contains(SemVer.parse(version).toString())) {
                problems.add(m.doc().detail(field, "version " + version + " of model '" + model
                        + "' is not registered (registered: " + String.join(", ", registered) + ")"));
            }
        });
    }

    /** Every version a (valid) spec names, by field path. */
    static Map<String, String> versionFields(DeploymentSpec spec) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (spec.stable() != null) {
            fields.put("spec.stable", spec.stable());
        }
        if (spec.canary() != null) {
            fields.put("spec.canary.version", spec.canary().version());
        }
        if (spec.shadow() != null) {
            fields.put("spec.shadow.version", spec.shadow().version());
        }
        if (spec.ab() != null) {
            List<AbArm> arms = spec.ab().arms();
            for (int i = 0; i < arms.size(); i++) {
                fields.put("spec.ab.arms[" + i + "].version", arms.get(i).version());
            }
        }
        return fields;
    }

    private Step plan(Located m) {
        DeploymentSpec spec = m.manifest().spec();
        String model = m.manifest().name();
        DeploymentSpec resolved = deployments.resolve(model, spec);
        PlannedChange change;
        try {
            change = deployments.plan(model, resolved, ChangeTexts.of(m.doc().file(), resolved), SOURCE,
                    m.manifest().allowSchemaChange());
        } catch (io.modelmesh.server.errors.ConflictException e) {
            throw new io.modelmesh.server.errors.ConflictException(m.doc().file() + ": " + e.getMessage(), e);
        }
        Optional<DeploymentRecord> latest = deployments.latest(change.model());
        String action = latest.isEmpty() ? "created"
                : DeploymentService.unchanged(latest.get(), change) ? "unchanged" : "configured";
        return new Step(m, change, latest, action);
    }

    private ApplyResult write(List<Step> steps, String user) {
        List<PlannedChange> changed = steps.stream().filter(s -> !s.action().equals("unchanged"))
                .map(Step::change).toList();
        if (changed.isEmpty()) {
            return new ApplyResult(false, steps.stream().map(s -> change(s, null, null)).toList());
        }
        List<DeploymentRecord> written = deployments.write(changed, user);
        DeploymentStatus pushed = deployments.publish(written.getLast());
        Map<String, DeploymentRecord> byModel = new HashMap<>();
        written.forEach(r -> byModel.put(r.model(), r));
        return new ApplyResult(false, steps.stream().map(s -> change(s, byModel.get(s.change().model()), pushed))
                .toList());
    }

    private static ManifestChange change(Step s, DeploymentRecord written, DeploymentStatus pushed) {
        DeploymentRecord latest = s.latest().orElse(null);
        List<String> diff = s.action().equals("unchanged") ? List.of()
                : SpecDiff.lines(latest == null ? null : latest.spec(), latest == null ? null : latest.route(),
                s.change().spec(), s.change().route());
        boolean push = written != null && pushed != null;
        return new ManifestChange(s.source().doc().file(), s.change().model(), s.action(),
                latest == null ? null : latest.modelRevision(), written == null ? null : written.modelRevision(), diff,
                push ? pushed.nodesAcked() : 0, push ? pushed.nodesTotal() : 0,
                push ? pushed.errors() : List.of());
    }
}
