package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.ChaosRequest;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.traffic.ChaosService;

/**
 * {@code POST /deployments/chaos}: fault injection, admin only ({@link AdminAuth}: 401 without a bearer token, 403
 * with a wrong one). 201 with the new revision, 200 when the route already had exactly that fault.
 */
public final class ChaosEndpoints implements HttpService {
    private final ChaosService chaos;
    private final AdminAuth admin;
    private final JsonIo json;

    public ChaosEndpoints(ChaosService chaos, AdminAuth admin, JsonIo json) {
        this.chaos = chaos;
        this.admin = admin;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        new RouteRules(rules).post("/deployments/chaos", this::inject);
    }

    private void inject(ServerRequest req, ServerResponse res) {
        admin.require(req); // before reading the body: nothing about the request is looked at without the token
        DeployOutcome outcome = chaos.inject(json.read(req, ChaosRequest.class), Callers.user(req));
        json.send(res, outcome.created() ? Status.CREATED_201 : Status.OK_200, outcome.status());
    }
}
