package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.Scope;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.controlplane.deploy.DeployOutcome;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.monitoring.ShadowReports;
import io.modelmesh.controlplane.traffic.ShadowService;

/**
 * Shadows: {@code POST /deployments/shadow} (201, 200 when it already runs), {@code DELETE /deployments/{model}/shadow}
 * (200) and {@code GET /monitoring/shadow/{model}?samples=N} (the latest comparison; samples for deploy tokens only).
 */
public final class ShadowEndpoints implements Endpoints {
    private final ShadowService shadows;
    private final ShadowReports reports;
    private final JsonIo json;

    public ShadowEndpoints(ShadowService shadows, ShadowReports reports, JsonIo json) {
        this.shadows = shadows;
        this.reports = reports;
        this.json = json;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .post("/deployments/shadow", Access.DEPLOY, this::start)
                .delete("/deployments/{model}/shadow", Access.DEPLOY, this::stop)
                .get("/monitoring/shadow/{model}", Access.READ, this::report);
    }

    private void start(ServerRequest req, ServerResponse res) {
        DeployOutcome outcome = shadows.start(json.read(req, ShadowRequest.class), Callers.user(req));
        json.send(res, outcome.created() ? Status.CREATED_201 : Status.OK_200, outcome.status());
    }

    private void stop(ServerRequest req, ServerResponse res) {
        json.ok(res, shadows.stop(req.path().pathParameters().get("model"), Callers.user(req)).status());
    }

    /**
     * The latest comparison. Samples hold end users' request bodies, so only callers who may deploy see them; a
     * read-only token gets the statistics alone.
     */
    private void report(ServerRequest req, ServerResponse res) {
        String samples = req.query().first("samples").orElse(null);
        int wanted = samples == null ? ShadowReports.DEFAULT_SAMPLES : parseSamples(samples);
        boolean mayReadPayloads = ScopedRoutes.principal(req).has(Scope.DEPLOY);
        json.ok(res, reports.report(req.path().pathParameters().get("model"), mayReadPayloads ? wanted : 0));
    }

    private static int parseSamples(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("samples must be a number 0.." + ShadowReports.MAX_SAMPLES + ", got '" + s
                    + "'");
        }
    }
}
