package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.MediaTypes;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.registry.ArtifactStore;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.controlplane.registry.ModelRemoval;
import io.modelmesh.controlplane.registry.RegistryService;
import io.modelmesh.server.io.ReadWatchdog;

import java.io.IOException;

/** {@code /models}: registration (multipart upload), the registry's read side, and deletion (admin). */
public final class ModelEndpoints implements Endpoints {
    static final int DEFAULT_PAGE_SIZE = 50;

    private final RegistryService registry;
    private final ModelRemoval removal;
    private final ModelCatalog catalog;
    private final RegistrationFormReader forms;
    private final JsonIo json;

    public ModelEndpoints(RegistryService registry, ModelRemoval removal, ModelCatalog catalog, ArtifactStore store,
                          long maxUploadBytes, ReadWatchdog watchdog, JsonIo json) {
        this.registry = registry;
        this.removal = removal;
        this.catalog = catalog;
        this.forms = new RegistrationFormReader(store, maxUploadBytes, watchdog);
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .post("/models", Access.DEPLOY, this::register)
                .get("/models", Access.READ, this::list)
                .get("/models/{name}", Access.READ, this::model)
                .get("/models/{name}/versions", Access.READ, this::versions)
                .get("/models/{name}/versions/{version}", Access.READ, this::version)
                .delete("/models/{name}", Access.ADMIN, this::deleteModel)
                .delete("/models/{name}/versions/{version}", Access.ADMIN, this::deleteVersion);
    }

    /** {@code DELETE /models/{name}}: the model, its history, and the files nothing else uses (409 while serving). */
    private void deleteModel(ServerRequest req, ServerResponse res) {
        json.ok(res, removal.deleteModel(req.path().pathParameters().get("name")));
    }

    /** {@code DELETE /models/{name}/versions/{version}}: one version and its unused files (409 while serving). */
    private void deleteVersion(ServerRequest req, ServerResponse res) {
        json.ok(res, removal.deleteVersion(req.path().pathParameters().get("name"),
                req.path().pathParameters().get("version")));
    }

    private void register(ServerRequest req, ServerResponse res) throws IOException {
        MediaTypes.requireMultipart(req);
        RegistrationFormReader.Form form = forms.read(req);
        RegistrationResult result = registry.register(form.request().by(Callers.user(req)), form.upload(),
                form.reference());
        json.send(res, result.created() ? Status.CREATED_201 : Status.OK_200, result);
    }

    private void list(ServerRequest req, ServerResponse res) {
        int page = intParam(req, "page", 0);
        int size = intParam(req, "size", DEFAULT_PAGE_SIZE);
        String framework = req.query().first("framework").filter(s -> !s.isBlank()).orElse(null);
        json.ok(res, catalog.list(page, size, framework));
    }

    private void model(ServerRequest req, ServerResponse res) {
        json.ok(res, catalog.model(req.path().pathParameters().get("name")));
    }

    private void versions(ServerRequest req, ServerResponse res) {
        json.ok(res, catalog.versions(req.path().pathParameters().get("name")));
    }

    private void version(ServerRequest req, ServerResponse res) {
        json.ok(res, catalog.version(req.path().pathParameters().get("name"),
                req.path().pathParameters().get("version")));
    }

    static int intParam(ServerRequest req, String name, int defaultValue) {
        String v = req.query().first(name).orElse(null);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("query parameter '" + name + "' must be a whole number, got '" + v + "'");
        }
    }
}
