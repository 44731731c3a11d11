package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.RollbackRequest;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.rollout.RolloutService;

/** Canary rollouts: start, status, promote and roll back (by rollout id or by model), and a model's rollback. */
public final class RolloutEndpoints implements HttpService {
    private final RolloutService rollouts;
    private final JsonIo json;

    public RolloutEndpoints(RolloutService rollouts, JsonIo json) {
        this.rollouts = rollouts;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        new RouteRules(rules)
                .post("/deployments/canary", this::start)
                .get("/deployments/canary/{id}", this::get)
                .post("/deployments/canary/{id}/promote", this::promote)
                .post("/deployments/canary/{id}/rollback", this::rollBack)
                .get("/deployments/{model}/canary", this::latest)
                .post("/deployments/{model}/promote", this::promoteModel)
                .post("/deployments/{model}/rollback", this::rollbackModel);
    }

    private void start(ServerRequest req, ServerResponse res) {
        RolloutService.Started started = rollouts.start(json.read(req, CanaryRequest.class), Callers.user(req));
        json.send(res, started.created() ? Status.CREATED_201 : Status.OK_200, started.rollout());
    }

    private void get(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.get(id(req)));
    }

    private void promote(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.promote(id(req), Callers.user(req)));
    }

    private void rollBack(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.rollBack(id(req), Callers.user(req)));
    }

    private void latest(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.latest(req.path().pathParameters().get("model")));
    }

    private void promoteModel(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.promoteModel(req.path().pathParameters().get("model"), Callers.user(req)));
    }

    private void rollbackModel(ServerRequest req, ServerResponse res) {
        RollbackRequest body = req.content().hasEntity() ? json.read(req, RollbackRequest.class)
                : new RollbackRequest(null);
        json.ok(res, rollouts.rollbackModel(req.path().pathParameters().get("model"), body, Callers.user(req)));
    }

    private static long id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("rollout id must be a number, got '" + id + "'");
        }
    }
}
