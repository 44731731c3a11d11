package io.modelmesh.dataplane.inference;

import io.modelmesh.api.Fault;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.InjectedFaultException;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.dataplane.batching.BatcherClosedException;
import io.modelmesh.dataplane.cache.CacheKey;
import io.modelmesh.dataplane.cache.PredictionCache;
import io.modelmesh.dataplane.drift.FeatureSampler;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.outcomes.OutcomeRecorder;
import io.modelmesh.dataplane.routing.Router;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.routing.StickyHash;
import io.modelmesh.dataplane.shadow.ShadowMirror;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InvalidInputException;

import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Routes a request to a version (sticky by the route's key header, else a random split by weight; {@code ?version=}
 * wins), applies the version's injected fault if one is active, parses its rows against that version's input,
 * answers from the prediction cache or runs the engine (through the version's batcher when its policy batches),
 * records metrics and the version's outcome window, offers the answered rows to the drift sampler and routed requests
 * to the model's shadow. No HTTP here:
 * the handlers turn bytes into calls and results into bytes.
 */
public final class PredictionService {
    private final Supplier<ServingTable> tables;
    private final PredictionMetrics metrics;
    private final PredictionCache cache;
    private final Clock clock;
    private final DoubleSupplier random;
    private final OutcomeRecorder outcomes;
    private final ShadowMirror shadows;
    private final FeatureSampler drift;

    /**
     * @param clock    decides whether an injected fault is still active
     * @param random   uniform draws in [0, 1) for injected errors and shadow sampling (thread-safe)
     * @param outcomes per-version outcome windows for the reporter
     * @param shadows  where mirrored requests are offered
     * @param drift    where answered rows are offered for drift sampling
     */
    public PredictionService(Supplier<ServingTable> tables, PredictionMetrics metrics, PredictionCache cache,
                             Clock clock, DoubleSupplier random, OutcomeRecorder outcomes, ShadowMirror shadows,
                             FeatureSampler drift) {
        this.tables = tables;
        this.metrics = metrics;
        this.cache = cache;
        this.clock = clock;
        this.random = random;
        this.outcomes = outcomes;
        this.shadows = shadows;
        this.drift = drift;
    }

    /** Without drift sampling. */
    public PredictionService(Supplier<ServingTable> tables, PredictionMetrics metrics, PredictionCache cache,
                             Clock clock, DoubleSupplier random, OutcomeRecorder outcomes, ShadowMirror shadows) {
        this(tables, metrics, cache, clock, random, outcomes, shadows, FeatureSampler.off());
    }

    /** The node's service: system clock, thread-local random draws. */
    public PredictionService(RoutingApplier tables, PredictionMetrics metrics, PredictionCache cache,
                             OutcomeRecorder outcomes, ShadowMirror shadows, FeatureSampler drift) {
        this(tables::current, metrics, cache, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(),
                outcomes, shadows, drift);
    }

    /** What answered and what it said; {@code cached} when the result came from the prediction cache. */
    public record Outcome(ServedVersion served, BatchResult result, boolean single, boolean cached) {
    }

    /**
     * Predicts with rows read from the request's body (parsed against the chosen version's input binding).
     *
     * @param version requested version, or null for the routed one
     */
    public Outcome predict(String model, String version, PredictionRequest request) {
        for (int attempt = 0; ; attempt++) {
            ServedVersion served = acquire(model, version, request);
            long start = System.nanoTime();
            int status = 500;
            boolean retry = false;
            try {
                injectFault(served);
                ParsedInput input = request.parse(served.handle().binding());
                Outcome outcome = answer(served, input);
                status = 200;
                drift.offer(model, served.version(), input.batch());
                if (version == null) {
                    mirror(model, served, request, outcome.result(), System.nanoTime() - start);
                }
                return outcome;
            } catch (BatcherClosedException e) {
                // the version's batcher stopped between routing and submit (a revision switch): route again
                status = 503;
                if (attempt >= 2) {
                    throw e;
                }
                retry = true;
            } catch (InvalidInputException e) {
                status = 400;
                throw e;
            } catch (UnavailableException e) {
                status = 503;
                throw e;
            } finally {
                served.handle().release();
                long nanos = System.nanoTime() - start;
                if (status == 200) {
                    metrics.success(model, served.version(), nanos);
                } else {
                    metrics.request(model, served.version(), status);
                }
                if (status == 200 || (status >= 500 && !retry)) { // 4xx and retried attempts: not outcomes
                    outcomes.record(model, served.version(), nanos, status >= 500);
                }
            }
        }
    }

    /** The version's active fault, if any: its delay, then an injected failure with its error rate. */
    private void injectFault(ServedVersion served) {
        Fault fault = served.target().fault();
        if (fault == null || !fault.activeAt(clock.instant())) {
            return;
        }
        if (fault.latencyMs() > 0) {
            try {
                Thread.sleep(fault.latencyMs()); // requests run on virtual threads: the delay is the feature
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("request interrupted during injected latency");
            }
        }
        if (fault.errorRate() > 0 && random.getAsDouble() < fault.errorRate()) {
            throw new InjectedFaultException(served.model(), served.version());
        }
    }

    /** Offers a routed request to the model's shadow (sampled by its weight in percent); never blocks. */
    private void mirror(String model, ServedVersion served, PredictionRequest request, BatchResult result,
                        long nanos) {
        ServedModel m = tables.get().models().get(model);
        ServedVersion shadow = m == null ? null : m.shadow();
        if (shadow == null || shadow == served || random.getAsDouble() * 100 >= shadow.target().weight()) {
            return;
        }
        shadows.offer(model, shadow.version(), served.version(), request, result, nanos);
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
    private ServedVersion acquire(String model, String version, PredictionRequest request) {
        for (int attempt = 0; attempt < 5; attempt++) {
            ServingTable table = tables.get();
            ServedVersion v;
            try {
                v = Router.pick(table, model, version, key(table, model, version, request));
            } catch (NotFoundException | UnavailableException e) {
                refused(table, model, version, e instanceof NotFoundException ? 404 : 503);
                throw e;
            }
            if (v.handle().acquire()) {
                return v;
            }
        }
        throw new UnavailableException("model '" + model + "' is being switched to a new revision; retry");
    }

    /**
     * Counts a request no version answered. Names from the URL become labels only when the table knows them: every
     * unknown model (or version) shares one series, {@link PredictionMetrics#UNKNOWN}, so random names cannot grow the
     * metrics without bound.
     */
    private void refused(ServingTable table, String model, String version, int status) {
        ServedModel served = table.models().get(model);
        boolean knownModel = served != null || table.failed().containsKey(model);
        String versionLabel = version == null ? ""
                : served != null && served.versions().containsKey(version) ? version : PredictionMetrics.UNKNOWN;
        metrics.request(knownModel ? model : PredictionMetrics.UNKNOWN, knownModel ? versionLabel : "", status);
    }

    /** The sticky key: the hash of the route's key header, or a random key (a random split by weight) without one. */
    private static long key(ServingTable table, String model, String version, PredictionRequest request) {
        ServedModel m = version == null ? table.models().get(model) : null;
        if (m == null || m.weighted().size() < 2) {
            return 0; // an explicit version or a single routed one: nothing to choose, no header to read
        }
        String value = request.header(m.stickyHeader());
        return value == null ? ThreadLocalRandom.current().nextLong() : StickyHash.of(value);
    }
}
