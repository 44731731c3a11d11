package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.ScopedRoutes;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.controlplane.nodes.KnownVersions;
import io.modelmesh.controlplane.nodes.NodeRegistry;
import io.modelmesh.controlplane.nodes.OutcomeReportRules;
import io.modelmesh.controlplane.nodes.OutcomeSink;
import io.modelmesh.controlplane.nodes.RoutingSource;
import io.modelmesh.controlplane.rollout.TrafficReports;

import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /nodes/{id}/outcomes} (a node's own session only; validated, then fanned out to every outcome sink) and
 * {@code GET /monitoring/traffic/{model}}.
 */
public final class OutcomeEndpoints implements Endpoints {
    private static final Logger LOG = Logger.getLogger(OutcomeEndpoints.class.getName());

    private final List<OutcomeSink> sinks;
    private final TrafficReports traffic;
    private final DeploymentService deployments;
    private final RoutingSource routing;
    private final JsonIo json;
    private final Clock clock;

    /** @param sinks every consumer of outcome reports, in order (the list may grow while wiring) */
    public OutcomeEndpoints(List<OutcomeSink> sinks, TrafficReports traffic, DeploymentService deployments,
                            RoutingSource routing, JsonIo json, Clock clock) {
        this.sinks = sinks;
        this.traffic = traffic;
        this.deployments = deployments;
        this.routing = routing;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes
                .post("/nodes/{id}/outcomes", Access.NODE, this::outcomes)
                .get("/monitoring/traffic/{model}", Access.READ, this::traffic);
    }

    private void outcomes(ServerRequest req, ServerResponse res) {
        String id = NodeRegistry.requireSelf(ScopedRoutes.principal(req), req.path().pathParameters().get("id"));
        OutcomeReport report = json.read(req, OutcomeReport.class);
        if (report.nodeId() != null && !report.nodeId().equals(id)) {
            throw new InvalidInputException("node_id '" + report.nodeId() + "' in the body does not match the path's '"
                    + id + "'; POST a node's outcomes to /nodes/{its id}/outcomes");
        }
        io.modelmesh.api.RoutingTable current = routing.current();
        if (report.servingRevision() > current.revision()) {
            throw new InvalidInputException("outcome report refused, nothing of it was counted: it was served under "
                    + "revision " + report.servingRevision() + ", which this control plane never wrote (its newest is "
                    + current.revision() + "): the node serves another cluster's or epoch's table until it adopts this "
                    + "one");
        }
        OutcomeReportRules.validate(report, new KnownVersions(current, deployments::routeAt,
                report.servingRevision())::contains);
        OutcomeReport named = report.nodeId() != null ? report : new OutcomeReport(id, report.servingRevision(),
                report.from(), report.to(), report.versions(), report.shadows());
        for (OutcomeSink sink : sinks) {
            try {
                sink.accept(named);
            } catch (RuntimeException e) { // one consumer's failure must not starve the others
                LOG.log(Level.WARNING, "outcome sink " + sink.getClass().getSimpleName() + " failed on a report of "
                        + id, e);
            }
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private void traffic(ServerRequest req, ServerResponse res) {
        DeploymentStatus current = deployments.current(req.path().pathParameters().get("model"));
        json.ok(res, traffic.stats(current.route(), current.id(), clock.instant()));
    }
}
