package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.controlplane.deploy.DeploymentService;

/** {@code /deployments}: roll a version out to 100 %, current deployment and history. */
public final class DeploymentEndpoints implements Endpoints {
    private final DeploymentService deployments;
    private final JsonIo json;

    public DeploymentEndpoints(DeploymentService deployments, JsonIo json) {
        this.deployments = deployments;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .post("/deployments", Access.DEPLOY, this::deploy)
                .get("/deployments/{model}", Access.READ, this::current)
                .delete("/deployments/{model}", Access.DEPLOY, this::undeploy)
                .get("/deployments/{model}/history", Access.READ, this::history);
    }

    /** {@code DELETE /deployments/{model}}: no version of the model serves traffic any more. */
    private void undeploy(ServerRequest req, ServerResponse res) {
        json.ok(res, deployments.undeploy(req.path().pathParameters().get("model"), Callers.user(req)));
    }

    private void deploy(ServerRequest req, ServerResponse res) {
        DeployRequest request = json.read(req, DeployRequest.class);
        String user = Callers.user(req);
        if (dryRun(req)) {
            json.ok(res, deployments.preview(request, user));
            return;
        }
        DeployOutcome outcome = deployments.deploy(request, user);
        json.send(res, outcome.created() ? Status.CREATED_201 : Status.OK_200, outcome.status());
    }

    /** {@code ?dry_run=true}: validate and answer the planned change, write nothing (any other value is a 400). */
    static boolean dryRun(ServerRequest req) {
        String v = req.query().first("dry_run").orElse("false").trim();
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw new io.modelmesh.server.errors.InvalidInputException("dry_run must be true or false, "
                    + "got '" + v + "'");
        };
    }

    private void current(ServerRequest req, ServerResponse res) {
        json.ok(res, deployments.current(req.path().pathParameters().get("model")));
    }

    private void history(ServerRequest req, ServerResponse res) {
        json.ok(res, deployments.history(req.path().pathParameters().get("model")));
    }
}
