package io.modelmesh.controlplane.http;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.controlplane.errors.InvalidInputException;
import io.modelmesh.controlplane.nodes.OutcomeSink;

import java.util.List;

/** {@code POST /nodes/{id}/outcomes}: a node's outcome report, handed to every {@link OutcomeSink}; 204. */
public final class OutcomeEndpoints implements HttpService {
    private final List<OutcomeSink> sinks;
    private final JsonIo json;

    public OutcomeEndpoints(List<OutcomeSink> sinks, JsonIo json) {
        this.sinks = List.copyOf(sinks);
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        new RouteRules(rules).post("/nodes/{id}/outcomes", this::report);
    }

    private void report(ServerRequest req, ServerResponse res) {
        String node = req.path().pathParameters().get("id");
        OutcomeReport r = json.read(req, OutcomeReport.class);
        if (r.nodeId() != null && !r.nodeId().equals(node)) {
            throw new InvalidInputException("node_id '" + r.nodeId() + "' does not match the path's node '" + node
                    + "'");
        }
        OutcomeReport report = new OutcomeReport(node, r.servingRevision(), r.from(), r.to(), r.versions(),
                r.shadows());
        for (OutcomeSink sink : sinks) {
            sink.accept(report);
        }
        res.status(Status.NO_CONTENT_204).send();
    }
}
