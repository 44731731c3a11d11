package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.AbRequest;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.traffic.AbService;

/** {@code POST /deployments/ab}: a sticky A/B split (201, 200 when the same split already runs). */
public final class AbEndpoints implements HttpService {
    private final AbService ab;
    private final JsonIo json;

    public AbEndpoints(AbService ab, JsonIo json) {
        this.ab = ab;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        new RouteRules(rules).post("/deployments/ab", this::start);
    }

    private void start(ServerRequest req, ServerResponse res) {
        DeployOutcome outcome = ab.start(json.read(req, AbRequest.class), Callers.user(req));
        json.send(res, outcome.created() ? Status.CREATED_201 : Status.OK_200, outcome.status());
    }
}
