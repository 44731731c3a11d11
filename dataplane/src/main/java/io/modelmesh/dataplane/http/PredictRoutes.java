package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.inference.PreviewService;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.modelmesh.api.Scope;
import io.modelmesh.server.auth.Principal;
import io.modelmesh.server.errors.ForbiddenException;
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
    /** The request header asking for a preview call (a version no route sends traffic to). */
    static final String PREVIEW_HEADER = "X-ModelMesh-Preview";
    private static final HeaderName PREVIEW = HeaderNames.create(PREVIEW_HEADER);
    private final PredictionService predictions;
    private final PreviewService previews;
    private final int maxRows;
    private final Bodies bodies;

    PredictRoutes(PredictionService predictions, PreviewService previews, int maxRows, Bodies bodies) {
        this.predictions = predictions;
        this.previews = previews;
        this.maxRows = maxRows;
        this.bodies = bodies;
    }

    /**
     * One route for every path under /predict, on the root routes, parsed here: a {@code /{model}} template is a
     * regular expression that Helidon runs on every request (with its parameter map), which JFR put among the hottest
     * frames of a cached prediction, and a service mounted at /predict made every prediction crawl a second routing.
     */
    @Override
    public void routes(ScopedRoutes routes) {
        routes.postUnder("/predict", List.of("/{model}", "/{model}/batch"), Access.PREDICT, this::predict);
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
        // the query is parsed into a map on first use: not at all for the usual request that has none
        String version = req.query().rawValue().isEmpty() ? null : req.query().first("version").orElse(null);
        RequestTelemetry.model(req, model, version);
        boolean preview = preview(req);
        MediaTypes.requireJson(req);
        try (RequestBody body = bodies.read(req)) {
            HttpPredictionRequest.Rows rows = new HttpPredictionRequest.Rows(req.headers(), requestId, body, maxRows);
            PredictionService.Outcome outcome = preview ? previews.predict(model, version, rows)
                    : predictions.predict(model, version, rows);
            RequestTelemetry.model(req, model, outcome.served().version());
            if (preview) {
                res.header(PREVIEW_HEADER, "true");
            }
            Responses.json(res, PredictionWriter.write(outcome, requestId));
        }
    }

    /**
     * Whether the request asks for a preview call ({@code X-ModelMesh-Preview: true}); only callers holding scope
     * preview may (checked before the body is read).
     *
     * @throws ForbiddenException for a caller without it
     */
    private static boolean preview(ServerRequest req) {
        String value = req.headers().contains(PREVIEW) ? req.headers().get(PREVIEW).get() : null;
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (!value.equalsIgnoreCase("true")) {
            throw new io.modelmesh.engine.InvalidInputException(PREVIEW_HEADER + " must be true or false, got '"
                    + value + "'");
        }
        Principal who = ScopedRoutes.principal(req);
        if (!who.has(Scope.PREVIEW)) {
            throw new ForbiddenException("a preview call (" + PREVIEW_HEADER + ": true) needs a token with scope "
                    + "'preview' (or admin); " + (who.kind() == Principal.Kind.ANONYMOUS ? "none was sent"
                    : "token '" + who.name() + "' has " + who.scopes().stream().map(Scope::wireName).sorted()
                    .toList()) + " (an admin creates one: mmctl token create NAME --scope preview)");
        }
        return true;
    }
}
