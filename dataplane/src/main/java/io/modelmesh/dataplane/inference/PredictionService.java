package io.modelmesh.dataplane.inference;

import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.routing.Router;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.InvalidInputException;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Routes a request to a version, parses its rows against that version's input, runs the engine and records metrics.
 * No HTTP here: the handlers turn bytes into calls and results into bytes.
 */
public final class PredictionService {
    private final RoutingApplier tables;
    private final PredictionMetrics metrics;

    public PredictionService(RoutingApplier tables, PredictionMetrics metrics) {
        this.tables = tables;
        this.metrics = metrics;
    }

    /** What answered and what it said. */
    public record Outcome(ServedVersion served, BatchResult result, boolean single) {
    }

    /**
     * Predicts with rows read from a body by {@code parse} (which sees the chosen version's input binding).
     *
     * @param version requested version, or null for the routed one
     */
    public Outcome predict(String model, String version, Function<InputBinding, ParsedInput> parse) {
        ServedVersion served = acquire(model, version);
        long start = System.nanoTime();
        int status = 500;
        try {
            ParsedInput input = parse.apply(served.handle().binding());
            BatchResult result = served.handle().model().predict(input.batch());
            status = 200;
            return new Outcome(served, result, input.single());
        } catch (InvalidInputException e) {
            status = 400;
            throw e;
        } finally {
            served.handle().release();
            metrics.request(model, served.version(), status);
            if (status == 200) {
                metrics.latency(model, served.version(), System.nanoTime() - start);
            }
        }
    }

    /** Picks a version and takes a reference on its model (retrying if a switch closed it meanwhile). */
    private ServedVersion acquire(String model, String version) {
        for (int attempt = 0; attempt < 5; attempt++) {
            ServingTable table = tables.current();
            ServedVersion v;
            try {
                v = Router.pick(table, model, version, ThreadLocalRandom.current().nextDouble(100.0));
            } catch (NotFoundException | UnavailableException e) {
                metrics.request(model, version == null ? "" : version, e instanceof NotFoundException ? 404 : 503);
                throw e;
            }
            if (v.handle().acquire()) {
                return v;
            }
        }
        throw new UnavailableException("model '" + model + "' is being switched to a new revision; retry");
    }
}
