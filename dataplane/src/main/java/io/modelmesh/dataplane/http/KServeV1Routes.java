package io.modelmesh.dataplane.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.inference.PredictionService.Outcome;
import io.modelmesh.dataplane.routing.Router;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.OutputTensor;
import io.modelmesh.server.observe.RequestTelemetry;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Endpoints;
import io.modelmesh.server.http.MediaTypes;
import io.modelmesh.server.http.ScopedRoutes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeSet;

/**
 * KServe's V1 protocol (TensorFlow Serving's REST "row" format) under {@code /v1}, so KServe's clients, curl examples
 * and load tests work against a node unchanged:
 * <ul>
 *   <li>{@code GET /v1/models}: {@code {"models": ["iris", ...]}};</li>
 *   <li>{@code GET /v1/models/{m}}: {@code {"name": "iris", "ready": true}}, 404 for a model the node does not serve;</li>
 *   <li>{@code POST /v1/models/{m}:predict} with {@code {"instances": [[...], {...}, ...]}} (rows, or objects of
 *       named features; {@code "inputs"} is read as in {@code /predict}): {@code {"predictions": [...]}}, one entry
 *       per instance — the row's value of the model's output when it has one, else an object keyed by output name
 *       (TensorFlow Serving's rule for several outputs).</li>
 * </ul>
 * Requests go through the same routing (canary weights, sticky A/B on the model's key, shadows), admission, cache and
 * analysis as {@code /predict}. The version served is in the {@code X-Model-Version} response header (V1 bodies have
 * no field for it); {@code "degraded": true} is added beside {@code predictions} when a fallback answered.
 * {@code :explain} is not served.
 */
final class KServeV1Routes implements Endpoints {
    static final String VERSION_HEADER = "X-Model-Version";
    private static final String PREDICT = ":predict";
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private final PredictionService predictions;
    private final RoutingApplier tables;
    private final int maxRows;
    private final Bodies bodies;

    KServeV1Routes(PredictionService predictions, RoutingApplier tables, int maxRows, Bodies bodies) {
        this.predictions = predictions;
        this.tables = tables;
        this.maxRows = maxRows;
        this.bodies = bodies;
    }

    @Override
    public void routes(ScopedRoutes routes) {
        routes.get("/models", Access.PREDICT, this::list)
                .get("/models/{model}", Access.PREDICT, this::ready)
                .post("/models/{model}", Access.PREDICT, this::predict);
    }

    private void list(ServerRequest req, ServerResponse res) {
        StringBuilder sb = new StringBuilder("{\"models\":[");
        String sep = "";
        for (String m : new TreeSet<>(tables.current().models().keySet())) {
            sb.append(sep).append(quote(m));
            sep = ",";
        }
        Responses.json(res, sb.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void ready(ServerRequest req, ServerResponse res) {
        String model = req.path().pathParameters().get("model");
        ServedVersion v = Router.pick(tables.current(), model, null, 0L); // 404 naming the served models
        Responses.json(res, ("{\"name\":" + quote(v.model()) + ",\"ready\":true}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void predict(ServerRequest req, ServerResponse res) {
        String requestId = RequestIds.of(req, res);
        String target = req.path().pathParameters().get("model");
        if (!target.endsWith(PREDICT) || target.length() == PREDICT.length()) {
            throw new NotFoundException("no endpoint POST /v1/models/" + target + "; KServe V1 predictions go to "
                    + "POST /v1/models/{model}:predict (explanations are not served)");
        }
        String model = target.substring(0, target.length() - PREDICT.length());
        RequestTelemetry.answer(req, res);
        RequestTelemetry.model(req, model, null);
        MediaTypes.requireJson(req);
        try (RequestBody body = bodies.read(req)) {
            Outcome outcome = predictions.predict(model, null,
                    new HttpPredictionRequest.Rows(req.headers(), requestId, body, maxRows));
            RequestTelemetry.model(req, model, outcome.served().version());
            res.header(VERSION_HEADER, outcome.served().version());
            Responses.json(res, write(outcome));
        }
    }

    /** {@code {"predictions": [row, ...]}} from the outcome's outputs. */
    static byte[] write(Outcome outcome) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        List<OutputTensor> outputs = outcome.result().outputs();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("predictions");
            int rows = outputs.isEmpty() ? 0 : (int) outputs.getFirst().shape()[0];
            String[][] labels = new String[outputs.size()][];
            for (int i = 0; i < outputs.size(); i++) {
                labels[i] = PredictionWriter.labels(outcome, outputs.get(i));
            }
            for (int r = 0; r < rows; r++) {
                if (outputs.size() == 1) {
                    PredictionWriter.writeRow(g, outputs.getFirst(), r, labels[0]);
                    continue;
                }
                g.writeStartObject();
                for (int i = 0; i < outputs.size(); i++) {
                    g.writeFieldName(outputs.get(i).name());
                    PredictionWriter.writeRow(g, outputs.get(i), r, labels[i]);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (outcome.degraded()) {
                g.writeBooleanField("degraded", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String quote(String s) {
        // model names are restricted to [a-z0-9._-] by the registry; escape anyway so no name can break the JSON
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
