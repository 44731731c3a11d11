package io.modelmesh.controlplane.http;

import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.ApplyRequest;
import io.modelmesh.controlplane.manifest.ManifestService;

/** {@code POST /manifests/apply}: apply (or with {@code dry_run}, diff) ModelDeployment manifests. */
public final class ManifestEndpoints implements Endpoints {
    private final ManifestService manifests;
    private final JsonIo json;

    public ManifestEndpoints(ManifestService manifests, JsonIo json) {
        this.manifests = manifests;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.post("/manifests/apply", Access.DEPLOY, this::apply);
    }

    private void apply(ServerRequest req, ServerResponse res) {
        ApplyRequest request = json.read(req, ApplyRequest.class);
        String user = Callers.user(req);
        json.ok(res, manifests.apply(request, user));
    }
}
