package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.MediaTypes;
import io.modelmesh.server.http.RouteTag;
import io.modelmesh.server.observe.RequestTelemetry;
import io.modelmesh.server.http.ScopedRoutes;

import java.util.List;

/** {@code POST /predict/{model}} and {@code POST /predict/{model}/batch}: parse, call, render. */
final class PredictRoutes implements Endpoints {
    private static final String PREFIX = "/predict/";
    private static final String BATCH = "/batch";
    private final PredictionService predictions;
    private final int maxRows;
    private final Bodies bodies;

    PredictRoutes(PredictionService predictions, int maxRows, Bodies bodies) {
        this.predictions = predictions;
        this.maxRows = maxRows;
        this.bodies = bodies;
    }

    /**
     * One route for every path under /predict, parsed here: a {@code /{model}} template is a regular expression that Helidon runs on every
     * request (with its parameter map), which JFR put among the hottest frames of a cached prediction.
     */
    @Override
    public void routes(ScopedRoutes routes) {
        routes.postAll(List.of("/{model}", "/{model}/batch"), Access.PREDICT, this::predict);
    }

    /** {@code /predict/{model}} or {@code /predict/{model}/batch}: the model name, or null for any other path. */
    static String model(String absolutePath) {
        if (!absolutePath.startsWith(PREFIX)) {
            return null;
        }
        String rest = absolutePath.substring(PREFIX.length());
        if (rest.endsWith(BATCH)) {
            rest = rest.substring(0, rest.length() - BATCH.length());
        }
        return rest.isEmpty() || rest.indexOf('/') >= 0 ? null : rest;
    }

    private void predict(ServerRequest req, ServerResponse res) {
        String requestId = RequestIds.of(req, res);
        RequestTelemetry.answer(req, res);
        String path = req.path().absolute().path();
        String model = model(path);
        if (model == null) {
            throw new NotFoundException("no endpoint POST " + path + "; predictions go to POST /predict/{model} or "
                    + "/predict/{model}/batch");
        }
        if (path.endsWith(BATCH)) {
            RouteTag.claim(req, "/predict/{model}/batch");
        }
        String version = req.query().first("version").orElse(null);
        RequestTelemetry.model(req, model, version);
        MediaTypes.requireJson(req);
        try (RequestBody body = bodies.read(req)) {
            PredictionService.Outcome outcome = predictions.predict(model, version,
                    new HttpPredictionRequest.Rows(req.headers(), requestId, body, maxRows));
            RequestTelemetry.model(req, model, outcome.served().version());
            Responses.json(res, PredictionWriter.write(outcome, requestId));
        }
    }
}
