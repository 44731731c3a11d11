package io.modelmesh.dataplane.inference;

import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.dataplane.batching.BatcherClosedException;
import io.modelmesh.dataplane.cache.CacheKey;
import io.modelmesh.dataplane.cache.PredictionCache;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.routing.Router;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Routes a request to a version, parses its rows against that version's input, answers from the prediction cache or
 * runs the engine (through the version's batcher when its policy batches), and records metrics. No HTTP here: the
 * handlers turn bytes into calls and results into bytes.
 */
public final class PredictionService {
    private final RoutingApplier tables;
    private final PredictionMetrics metrics;
    private final PredictionCache cache;

    public PredictionService(RoutingApplier tables, PredictionMetrics metrics, PredictionCache cache) {
        this.tables = tables;
        this.metrics = metrics;
        this.cache = cache;
    }

    /** What answered and what it said; {@code cached} when the result came from the prediction cache. */
    public record Outcome(ServedVersion served, BatchResult result, boolean single, boolean cached) {
    }

    /**
     * Predicts with rows read from a body by {@code parse} (which sees the chosen version's input binding).
     *
     * @param version requested version, or null for the routed one
     */
    public Outcome predict(String model, String version, Function<InputBinding, ParsedInput> parse) {
        for (int attempt = 0; ; attempt++) {
            ServedVersion served = acquire(model, version);
            long start = System.nanoTime();
            int status = 500;
            try {
                ParsedInput input = parse.apply(served.handle().binding());
                Outcome outcome = answer(served, input);
                status = 200;
                return outcome;
            } catch (BatcherClosedException e) {
                // the version's batcher stopped between routing and submit (a revision switch): route again
                status = 503;
                if (attempt >= 2) {
                    throw e;
                }
            } catch (InvalidInputException e) {
                status = 400;
                throw e;
            } catch (UnavailableException e) {
                status = 503;
                throw e;
            } finally {
                served.handle().release();
                if (status == 200) {
                    metrics.success(model, served.version(), System.nanoTime() - start);
                } else {
                    metrics.request(model, served.version(), status);
                }
            }
        }
    }

    private Outcome answer(ServedVersion served, ParsedInput input) {
        ServingPolicy policy = served.policy();
        CacheKey key = null;
        if (policy.caching()) {
            key = CacheKey.of(served.model(), served.version(), input.batch());
            BatchResult hit = cache.get(key);
            if (hit != null) {
                return new Outcome(served, hit, input.single(), true);
            }
        }
        BatchResult result = run(served, input.batch());
        if (key != null) {
            cache.put(key, result, policy.cacheTtlSeconds());
        }
        return new Outcome(served, result, input.single(), false);
    }

    /** One engine call for these rows: joined with other requests' rows when the version batches. */
    private static BatchResult run(ServedVersion served, FloatBatch rows) {
        if (served.batcher() == null) {
            return served.handle().model().predict(rows);
        }
        try {
            return served.batcher().submit(rows).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the engine's own exception, so errors map to the same status as without batching
            }
            throw e;
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
