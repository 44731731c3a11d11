package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.ApplyRequest;
import io.modelmesh.controlplane.manifest.ManifestService;

/** {@code POST /manifests/apply}: apply (or with {@code dry_run}, diff) ModelDeployment manifests. */
public final class ManifestEndpoints implements HttpService {
    private final ManifestService manifests;
    private final JsonIo json;

    public ManifestEndpoints(ManifestService manifests, JsonIo json) {
        this.manifests = manifests;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        new RouteRules(rules).post("/manifests/apply", this::apply);
    }

    private void apply(ServerRequest req, ServerResponse res) {
        ApplyRequest request = json.read(req, ApplyRequest.class);
        String user = Callers.user(req);
        json.ok(res, manifests.apply(request, user));
    }
}
