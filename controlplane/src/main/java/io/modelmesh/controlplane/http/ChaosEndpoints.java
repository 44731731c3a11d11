package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.ChaosRequest;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.traffic.ChaosService;

/**
 * {@code POST /deployments/chaos}: fault injection, admin scope only. 201 with the new revision, 200 when the route
 * already had exactly that fault.
 */
public final class ChaosEndpoints implements Endpoints {
    private final ChaosService chaos;
    private final JsonIo json;

    public ChaosEndpoints(ChaosService chaos, JsonIo json) {
        this.chaos = chaos;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.post("/deployments/chaos", Access.ADMIN, this::inject);
    }

    private void inject(ServerRequest req, ServerResponse res) {
        DeployOutcome outcome = chaos.inject(json.read(req, ChaosRequest.class), Callers.user(req));
        json.send(res, outcome.created() ? Status.CREATED_201 : Status.OK_200, outcome.status());
    }
}
