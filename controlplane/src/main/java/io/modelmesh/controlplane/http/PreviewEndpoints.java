package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.controlplane.nodes.NodeRegistry;
import io.modelmesh.controlplane.registry.ModelCatalog;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;

/**
 * {@code GET /nodes/{id}/versions/{model}/{version}} on the node channel: what a node needs to load a registered
 * version no route names (framework, the served artifact's sha256 and size, schema), for a preview call. The version
 * may be an alias; the node downloads the artifact from {@code GET /artifacts/{sha256}} as for any route.
 */
public final class PreviewEndpoints implements Endpoints {
    private final ModelCatalog catalog;
    private final DeploymentService deployments;
    private final JsonIo json;

    public PreviewEndpoints(ModelCatalog catalog, DeploymentService deployments, JsonIo json) {
        this.catalog = catalog;
        this.deployments = deployments;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.get("/nodes/{id}/versions/{model}/{version}", Access.NODE, this::version);
    }

    private void version(ServerRequest req, ServerResponse res) {
        NodeRegistry.requireSelf(ScopedRoutes.principal(req), req.path().pathParameters().get("id"));
        String model = req.path().pathParameters().get("model");
        json.ok(res, catalog.version(model, deployments.resolveVersion(model,
                req.path().pathParameters().get("version"))));
    }
}
