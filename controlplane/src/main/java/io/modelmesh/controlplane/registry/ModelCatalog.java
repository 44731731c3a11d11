package io.modelmesh.controlplane.registry;

import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.Page;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.store.ModelRepository;
import io.modelmesh.controlplane.store.VersionRepository;

import java.util.List;

/** Read side of the registry: models, pages of them, their versions. */
public final class ModelCatalog {
    public static final int MAX_PAGE_SIZE = 500;

    private final ModelRepository models;
    private final VersionRepository versions;

    public ModelCatalog(ModelRepository models, VersionRepository versions) {
        this.models = models;
        this.versions = versions;
    }

    /**
     * @param page      0-based page
     * @param size      1..{@value #MAX_PAGE_SIZE}
     * @param framework wire name to filter by, or null
     */
    public Page<ModelSummary> list(int page, int size, String framework) {
        if (page < 0) {
            throw new InvalidInputException("page must be 0 or more, got " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size must be between 1 and " + MAX_PAGE_SIZE + ", got " + size);
        }
        String fw = null;
        if (framework != null) {
            try {
                fw = Framework.parse(framework).wireName();
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
        }
        long total = models.count(fw);
        List<ModelSummary> items = models.list(fw, (long) page * size, size);
        return new Page<>(items, page, size, total);
    }

    public ModelSummary model(String name) {
        ModelNames.require(name);
        return models.find(name).orElseThrow(() -> notRegistered(name));
    }

    /** Every version in semantic-version order. */
    public List<ModelVersion> versions(String name) {
        ModelNames.require(name);
        List<ModelVersion> all = versions.list(name);
        if (all.isEmpty()) {
            throw notRegistered(name);
        }
        return all;
    }

    public ModelVersion version(String name, String version) {
        ModelNames.require(name);
        String v;
        try {
            v = SemVer.parse(version).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        return versions.find(name, v).orElseThrow(() -> {
            List<ModelVersion> all = versions.list(name);
            if (all.isEmpty()) {
                return notRegistered(name);
            }
            return new NotFoundException("model '" + name + "' has no version " + v + " (registered: "
                    + String.join(", ", all.stream().map(ModelVersion::version).toList()) + ")");
        });
    }

    private static NotFoundException notRegistered(String name) {
        return new NotFoundException("model '" + name + "' is not registered; mmctl list shows the registered ones "
                + "(GET /models)");
    }
}
