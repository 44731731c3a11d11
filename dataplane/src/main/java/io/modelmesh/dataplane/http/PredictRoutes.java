package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.modelmesh.dataplane.inference.PredictionService;
import io.modelmesh.dataplane.inference.RowParser;

/** {@code POST /predict/{model}} and {@code POST /predict/{model}/batch}: parse, call, render. */
final class PredictRoutes implements HttpService {
    private final PredictionService predictions;
    private final int maxRows;
    private final long maxBytes;

    PredictRoutes(PredictionService predictions, int maxRows, long maxBytes) {
        this.predictions = predictions;
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{model}", this::predict)
                .post("/{model}/batch", this::predict);
    }

    private void predict(ServerRequest req, ServerResponse res) {
        String requestId = RequestIds.of(req, res);
        String model = req.path().pathParameters().get("model");
        String version = req.query().first("version").orElse(null);
        byte[] body = Bodies.read(req, maxBytes);
        PredictionService.Outcome outcome = predictions.predict(model, version,
                binding -> RowParser.parse(body, binding, maxRows));
        Responses.json(res, PredictionWriter.write(outcome, requestId));
    }
}
