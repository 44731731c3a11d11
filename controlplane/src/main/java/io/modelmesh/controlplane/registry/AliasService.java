package io.modelmesh.controlplane.registry;

import io.modelmesh.api.AliasRequest;
import io.modelmesh.api.ModelAlias;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.controlplane.store.AliasRepository;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.server.errors.InvalidInputException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Aliases ({@code PUT/GET/DELETE /models/{model}/aliases[/{alias}]}): names pointing to one version of a model. They
 * travel to nodes in the routing table ({@code ModelRoute.aliases}), so a change of a deployed model's aliases is
 * written as a revision with the same route and spec (source {@value #SOURCE}) and pushed like any other, in the same
 * transaction as the alias itself.
 */
public final class AliasService {
    /** The {@code source} of revisions that only carry an alias change. */
    public static final String SOURCE = "alias";
    /** The most aliases {@code GET /aliases} lists. */
    public static final int MAX_LISTED = 10_000;

    private final Database db;
    private final AliasRepository aliases;
    private final ModelCatalog catalog;
    private final DeploymentService deployments;
    private final Clock clock;

    public AliasService(Database db, AliasRepository aliases, ModelCatalog catalog, DeploymentService deployments,
                        Clock clock) {
        this.db = db;
        this.aliases = aliases;
        this.catalog = catalog;
        this.deployments = deployments;
        this.clock = clock;
    }

    /**
     * Points the alias at a version (given as a version or as another alias). Setting it to where it points already
     * changes nothing.
     *
     * @throws io.modelmesh.server.errors.NotFoundException for an unknown model, version or alias
     */
    public ModelAlias set(String model, String alias, AliasRequest request, String user) {
        ModelNames.require(model);
        String name = VersionRefs.aliasName(alias);
        if (request == null || request.version() == null || request.version().isBlank()) {
            throw new InvalidInputException("send {\"version\": \"X.Y.Z\"} (or another alias: \"@champion\")");
        }
        String version = canonical(deployments.resolveVersion(model, request.version().strip()));
        catalog.version(model, version); // 404 naming the registered versions
        Optional<ModelAlias> before = aliases.find(model, name);
        if (before.isPresent() && before.get().version().equals(version)) {
            return before.get();
        }
        String change = "alias @" + name + " -> " + version + before.map(b -> " (was " + b.version() + ")").orElse("");
        write(model, change, user, tx -> aliases.set(tx, model, name, version, clock.instant(), user));
        return aliases.find(model, name).orElseThrow();
    }

    /** The model's aliases by name. */
    public List<ModelAlias> list(String model) {
        catalog.model(model); // 404 when the model is not registered
        return aliases.list(model);
    }

    /** Every model's aliases, by model and name. */
    public List<ModelAlias> all() {
        return aliases.all(MAX_LISTED);
    }

    /**
     * Removes the alias; removing one that does not exist changes nothing (idempotent, like {@code kubectl delete
     * --ignore-not-found}).
     *
     * @return the alias removed, if there was one
     */
    public Optional<ModelAlias> delete(String model, String alias, String user) {
        ModelNames.require(model);
        String name = VersionRefs.aliasName(alias);
        catalog.model(model); // 404 when the model is not registered
        Optional<ModelAlias> before = aliases.find(model, name);
        if (before.isEmpty()) {
            return before;
        }
        write(model, "alias @" + name + " removed (was " + before.get().version() + ")", user,
                tx -> aliases.delete(tx, model, name));
        return before;
    }

    /** Writes the alias change, with a revision carrying it to the nodes when the model is deployed. */
    private void write(String model, String change, String user,
                       java.util.function.Consumer<io.helidon.dbclient.DbExecute> aliasChange) {
        Optional<DeploymentRecord> latest = deployments.latest(model).filter(d -> !d.route().targets().isEmpty());
        if (latest.isEmpty()) {
            db.inTransaction(tx -> {
                aliasChange.accept(tx);
                return null;
            });
            return;
        }
        DeploymentRecord d = latest.get();
        DeploymentRecord written = deployments.write(new PlannedChange(model, d.spec(), d.route(), change, SOURCE),
                user, (tx, r) -> aliasChange.accept(tx));
        deployments.publish(written);
    }

    private static String canonical(String version) {
        try {
            return SemVer.parse(version).toString();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
