package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.RollbackRequest;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.rollout.RolloutService;

/**
 * Canary rollouts: start, status, promote and roll back (by rollout id or by model), a model's rollback, and rollout
 * control by model (abort, pause, resume, retry: Argo Rollouts' verbs).
 */
public final class RolloutEndpoints implements Endpoints {
    private final RolloutService rollouts;
    private final JsonIo json;

    public RolloutEndpoints(RolloutService rollouts, JsonIo json) {
        this.rollouts = rollouts;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .post("/deployments/canary", Access.DEPLOY, this::start)
                .get("/deployments/canary/{id}", Access.READ, this::get)
                .post("/deployments/canary/{id}/promote", Access.DEPLOY, this::promote)
                .post("/deployments/canary/{id}/rollback", Access.DEPLOY, this::rollBack)
                .get("/deployments/{model}/canary", Access.READ, this::latest)
                .post("/deployments/{model}/promote", Access.DEPLOY, this::promoteModel)
                .post("/deployments/{model}/rollback", Access.DEPLOY, this::rollbackModel)
                .post("/rollouts/{model}/abort", Access.DEPLOY, this::abort)
                .post("/rollouts/{model}/pause", Access.DEPLOY, this::pause)
                .post("/rollouts/{model}/resume", Access.DEPLOY, this::resume)
                .post("/rollouts/{model}/retry", Access.DEPLOY, this::retry);
    }

    /** {@code POST /rollouts/{model}/abort}: the running canary back to 0 %, ended ABORTED. */
    private void abort(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.abortModel(model(req), Callers.user(req)));
    }

    /** {@code POST /rollouts/{model}/pause}: the running canary holds its share; no step, no analysis action. */
    private void pause(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.pauseModel(model(req), Callers.user(req)));
    }

    /** {@code POST /rollouts/{model}/resume}: the paused canary goes on; its step starts again. */
    private void resume(ServerRequest req, ServerResponse res) {
        json.ok(res, rollouts.resumeModel(model(req), Callers.user(req)));
    }

    /** {@code POST /rollouts/{model}/retry}: the rolled-back or aborted canary starts again (201, a new rollout). */
    private void retry(ServerRequest req, ServerResponse res) {
        json.send(res, Status.CREATED_201, rollouts.retryModel(model(req), Callers.user(req)));
    }

    private static String model(ServerRequest req) {
        return req.path().pathParameters().get("model");
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
