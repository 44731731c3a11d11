package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.AbRequest;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.traffic.AbService;

/** {@code POST /deployments/ab}: a sticky A/B split (201, 200 when the same split already runs). */
public final class AbEndpoints implements Endpoints {
    private final AbService ab;
    private final JsonIo json;

    public AbEndpoints(AbService ab, JsonIo json) {
        this.ab = ab;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.post("/deployments/ab", Access.DEPLOY, this::start);
    }

    private void start(ServerRequest req, ServerResponse res) {
        DeployOutcome outcome = ab.start(json.read(req, AbRequest.class), Callers.user(req));
        json.send(res, outcome.created() ? Status.CREATED_201 : Status.OK_200, outcome.status());
    }
}
