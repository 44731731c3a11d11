package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.reliability.Drain;
import io.modelmesh.dataplane.routing.Router;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.MediaTypes;
import io.modelmesh.server.http.ScopedRoutes;
import io.modelmesh.server.observe.RequestTelemetry;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Open Inference Protocol v2 (the KServe / Triton REST protocol) under {@code /v2}. */
final class OipRoutes implements Endpoints {
    private static final byte[] SERVER = ("{\"name\":\"modelmesh-dataplane\",\"version\":\"" + version()
            + "\",\"extensions\":[]}").getBytes(StandardCharsets.UTF_8);

    private final PredictionService predictions;
    private final RoutingApplier tables;
    private final int maxRows;
    private final Bodies bodies;
    private final Drain drain;

    OipRoutes(PredictionService predictions, RoutingApplier tables, int maxRows, Bodies bodies, Drain drain) {
        this.drain = drain;
        this.predictions = predictions;
        this.tables = tables;
        this.maxRows = maxRows;
        this.bodies = bodies;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.get("/", Access.PUBLIC, (req, res) -> Responses.json(res, SERVER))
                .get("/health/live", Access.PUBLIC, (req, res) -> Responses.json(res, bool("live", true)))
                .get("/health/ready", Access.PUBLIC, this::ready)
                .get("/models/{model}", Access.PREDICT, this::metadata)
                .get("/models/{model}/versions/{version}", Access.PREDICT, this::metadata)
                .get("/models/{model}/ready", Access.PREDICT, this::modelReady)
                .get("/models/{model}/versions/{version}/ready", Access.PREDICT, this::modelReady)
                .post("/models/{model}/infer", Access.PREDICT, this::infer)
                .post("/models/{model}/versions/{version}/infer", Access.PREDICT, this::infer);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        boolean ready = tables.synced() && !drain.draining();
        Responses.json(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, bool("ready", ready));
    }

    private void metadata(ServerRequest req, ServerResponse res) {
        ServedVersion v = resolve(req);
        Responses.json(res, OipCodec.metadata(tables.current().models().get(v.model()), v));
    }

    private void modelReady(ServerRequest req, ServerResponse res) {
        ServedVersion v = resolve(req);
        Responses.json(res, ("{\"name\":\"" + v.model() + "\",\"version\":\"" + v.version() + "\",\"ready\":true}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void infer(ServerRequest req, ServerResponse res) {
        String requestId = RequestIds.of(req, res);
        RequestTelemetry.answer(req, res);
        String model = req.path().pathParameters().get("model");
        String version = req.path().pathParameters().contains("version")
                ? req.path().pathParameters().get("version") : null;
        RequestTelemetry.model(req, model, version);
        MediaTypes.requireJson(req);
        try (RequestBody raw = bodies.read(req)) {
            JsonNode body = OipCodec.tree(raw.bytes());
            Set<String> wanted = OipCodec.wantedOutputs(body);
            PredictionService.Outcome outcome = predictions.predict(model, version,
                    new HttpPredictionRequest.Oip(req.headers(), requestId, body, raw, maxRows));
            RequestTelemetry.model(req, model, outcome.served().version());
            Responses.json(res, OipCodec.inferResponse(outcome, OipCodec.id(body), wanted));
        }
    }

    /** The version a metadata or ready call names, or the model's first routed version. */
    private ServedVersion resolve(ServerRequest req) {
        String model = req.path().pathParameters().get("model");
        String version = req.path().pathParameters().contains("version")
                ? req.path().pathParameters().get("version") : null;
        ServedModel served = tables.current().models().get(model);
        if (served != null && version == null && !served.weighted().isEmpty()) {
            return served.weighted().getFirst();
        }
        return Router.pick(tables.current(), model, version, 0L);
    }

    private static byte[] bool(String field, boolean value) {
        return ("{\"" + field + "\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String version() {
        String v = OipRoutes.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
