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
import io.modelmesh.controlplane.registry.RegistryService;

import java.io.IOException;

/** {@code /models}: registration (multipart upload) and the registry's read side. */
public final class ModelEndpoints implements Endpoints {
    static final int DEFAULT_PAGE_SIZE = 50;

    private final RegistryService registry;
    private final ModelCatalog catalog;
    private final RegistrationFormReader forms;
    private final JsonIo json;

    public ModelEndpoints(RegistryService registry, ModelCatalog catalog, ArtifactStore store, long maxUploadBytes,
                          JsonIo json) {
        this.registry = registry;
        this.catalog = catalog;
        this.forms = new RegistrationFormReader(store, maxUploadBytes);
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .post("/models", Access.DEPLOY, this::register)
                .get("/models", Access.READ, this::list)
                .get("/models/{name}", Access.READ, this::model)
                .get("/models/{name}/versions", Access.READ, this::versions)
                .get("/models/{name}/versions/{version}", Access.READ, this::version);
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
