package io.modelmesh.dataplane.inference;

import io.modelmesh.api.Fault;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.InjectedFaultException;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.dataplane.admission.Admission;
import io.modelmesh.dataplane.admission.AdmissionGate;
import io.modelmesh.dataplane.batching.BatcherClosedException;
import io.modelmesh.dataplane.batching.ExpiredException;
import io.modelmesh.dataplane.batching.QueueFullException;
import io.modelmesh.dataplane.cache.CacheKey;
import io.modelmesh.dataplane.cache.PredictionCache;
import io.modelmesh.dataplane.drift.FeatureSampler;
import io.modelmesh.dataplane.metrics.PredictionMetrics;
import io.modelmesh.dataplane.outcomes.OutcomeRecorder;
import io.modelmesh.dataplane.reliability.FallbackPlan;
import io.modelmesh.dataplane.reliability.LastAnswers;
import io.modelmesh.dataplane.routing.Router;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.dataplane.routing.StickyHash;
import io.modelmesh.dataplane.shadow.ShadowMirror;
import io.modelmesh.dataplane.sync.RoutingApplier;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.server.errors.DeadlineExceededException;
import io.modelmesh.server.errors.OverloadedException;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Routes a request to a version (sticky by the route's key header, else a random split by weight; {@code ?version=}
 * wins), parses its rows against that version's input, answers from the prediction cache or — once the version's
 * admission gate gives it a turn — applies the version's injected fault if one is active and runs the engine (through
 * the version's batcher when its policy batches), records metrics and the version's outcome window, offers the
 * answered rows to the drift sampler and routed requests to the model's shadow. No HTTP here: the handlers turn bytes
 * into calls and results into bytes.
 *
 * <p>Every request has a deadline: its version's timeout from when it got here, or the shorter one its caller asked
 * for. Nothing waits past it — not the gate, not the batch queue, not the wait for a batch's answer; an engine call
 * that has started runs to its end (native code cannot be stopped safely) and its answer is sent. A version that
 * fails or sheds a request answers its fallback instead, when its policy has one, marked degraded.
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
    private final LastAnswers lastAnswers;

    /**
     * @param clock       decides whether an injected fault is still active
     * @param random      uniform draws in [0, 1) for injected errors and shadow sampling (thread-safe)
     * @param outcomes    per-version outcome windows for the reporter
     * @param shadows     where mirrored requests are offered
     * @param drift       where answered rows are offered for drift sampling
     * @param lastAnswers the last answers of versions whose fallback is {@code cached}
     */
    public PredictionService(Supplier<ServingTable> tables, PredictionMetrics metrics, PredictionCache cache,
                             Clock clock, DoubleSupplier random, OutcomeRecorder outcomes, ShadowMirror shadows,
                             FeatureSampler drift, LastAnswers lastAnswers) {
        this.tables = tables;
        this.metrics = metrics;
        this.cache = cache;
        this.clock = clock;
        this.random = random;
        this.outcomes = outcomes;
        this.shadows = shadows;
        this.drift = drift;
        this.lastAnswers = lastAnswers;
    }

    /** With fallback memory of its own (tests). */
    public PredictionService(Supplier<ServingTable> tables, PredictionMetrics metrics, PredictionCache cache,
                             Clock clock, DoubleSupplier random, OutcomeRecorder outcomes, ShadowMirror shadows,
                             FeatureSampler drift) {
        this(tables, metrics, cache, clock, random, outcomes, shadows, drift,
                new LastAnswers(LastAnswers.DEFAULT_MAX_BYTES));
    }

    /** Without drift sampling, with fallback memory of its own (tests). */
    public PredictionService(Supplier<ServingTable> tables, PredictionMetrics metrics, PredictionCache cache,
                             Clock clock, DoubleSupplier random, OutcomeRecorder outcomes, ShadowMirror shadows) {
        this(tables, metrics, cache, clock, random, outcomes, shadows, FeatureSampler.off());
    }

    /** The node's service: system clock, thread-local random draws. */
    public PredictionService(RoutingApplier tables, PredictionMetrics metrics, PredictionCache cache,
                             OutcomeRecorder outcomes, ShadowMirror shadows, FeatureSampler drift,
                             LastAnswers lastAnswers) {
        this(tables::current, metrics, cache, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(),
                outcomes, shadows, drift, lastAnswers);
    }

    /**
     * What answered and what it said; {@code cached} when the result came from the prediction cache, {@code degraded}
     * when it is the version's fallback instead of a computed answer.
     */
    public record Outcome(ServedVersion served, BatchResult result, boolean single, boolean cached,
                          boolean degraded) {
        public Outcome(ServedVersion served, BatchResult result, boolean single, boolean cached) {
            this(served, result, single, cached, false);
        }
    }

    /**
     * Predicts with rows read from the request's body (parsed against the chosen version's input binding).
     *
     * @param version requested version, or null for the routed one
     * @throws OverloadedException        (429) when the version's queue is full, or would outlast the deadline
     * @throws DeadlineExceededException  (503) when the deadline passed before the request could run
     * @throws InvalidInputException      (400) for rows the version cannot read, or a bad {@code X-Request-Timeout}
     */
    public Outcome predict(String model, String version, PredictionRequest request) {
        long arrived = System.nanoTime();
        Duration asked = request.timeout();
        for (int attempt = 0; ; attempt++) {
            ServedVersion served = acquire(model, version, request);
            long start = System.nanoTime();
            int status = 500;
            boolean failed = true; // counts against the version in its outcome window
            boolean retry = false;
            try {
                ParsedInput input = request.parse(served.handle().binding());
                long deadline = arrived + deadlineNanos(served.admission(), asked);
                Outcome outcome;
                try {
                    outcome = answer(served, input, deadline);
                    failed = false;
                } catch (OverloadedException | DeadlineExceededException | InjectedFaultException | InferenceException
                         | BatcherClosedException e) {
                    if (e instanceof BatcherClosedException && attempt < 2) {
                        throw e; // a switch is under way: route again below, without degrading
                    }
                    outcome = degrade(served, input, e);
                }
                status = 200;
                if (!outcome.degraded()) { // the version answered these rows
                    drift.offer(model, served.version(), input.batch());
                }
                if (version == null && !outcome.degraded()) {
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
                failed = version == null && rejectedByCandidateOnly(model, served, request);
                throw e;
            } catch (OverloadedException e) {
                status = 429;
                throw e;
            } catch (DeadlineExceededException | UnavailableException e) {
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
                // client errors are not outcomes (except a canary's that the stable version would have read); a
                // shed, late or degraded answer is the version's failure
                if (!retry && (status != 400 || failed)) {
                    outcomes.record(model, served.version(), nanos, failed);
                }
            }
        }
    }

    /**
     * Whether a client error of a routed request is the candidate's fault: {@code served} is the model's canary and
     * the same body reads against the stable version's input (features, row width). Then the canary refused a request
     * its stable version accepts (a new version registered without the feature names the traffic sends, another
     * input width), so the 400 counts as an error in the canary's outcome window and its analysis rolls it back
     * rather than seeing no traffic. Only parsing is repeated, never inference (docs/traffic.md).
     */
    private boolean rejectedByCandidateOnly(String model, ServedVersion served, PredictionRequest request) {
        if (served.target().role() != RouteTarget.Role.CANARY) {
            return false;
        }
        ServedModel m = tables.get().models().get(model);
        ServedVersion stable = m == null ? null : m.versions().values().stream()
                .filter(v -> v.target().role() == RouteTarget.Role.STABLE).findFirst().orElse(null);
        if (stable == null) {
            return false;
        }
        try {
            request.parse(stable.handle().binding());
            return true;
        } catch (InvalidInputException stableRejectsItToo) {
            return false;
        }
    }

    /** The request's deadline after its arrival: the version's timeout, or the caller's when that is shorter. */
    private static long deadlineNanos(Admission admission, Duration asked) {
        Duration timeout = admission.limits().timeout();
        return (asked != null && asked.compareTo(timeout) < 0 ? asked : timeout).toNanos();
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

    private Outcome answer(ServedVersion served, ParsedInput input, long deadline) {
        ServingPolicy policy = served.policy();
        boolean remember = served.admission().fallback().mode() == ServingPolicy.Fallback.CACHED;
        CacheKey key = null;
        if (policy.caching() || remember) {
            key = CacheKey.of(served.model(), served.version(), input.batch());
        }
        if (policy.caching()) {
            BatchResult hit = cache.get(key);
            if (hit != null) {
                return new Outcome(served, hit, input.single(), true);
            }
        }
        BatchResult result = admitted(served, input.batch(), deadline);
        if (policy.caching()) {
            cache.put(key, result, policy.cacheTtlSeconds());
        }
        if (remember) {
            lastAnswers.remember(key, result);
        }
        return new Outcome(served, result, input.single(), false);
    }

    /** Runs the rows once the version's gate gives them a turn; the turn ends with the engine call (or the batch). */
    private BatchResult admitted(ServedVersion served, FloatBatch rows, long deadline) {
        AdmissionGate gate = served.admission().gate();
        long arrived = System.nanoTime();
        AdmissionGate.Verdict verdict = gate.enter(deadline);
        if (verdict != AdmissionGate.Verdict.ADMITTED) {
            throw shed(served, verdict);
        }
        long entered = System.nanoTime();
        metrics.queueWait(served.model(), served.version(), entered - arrived);
        try {
            injectFault(served); // where the engine would run: injected latency holds the turn like a slow model
            return run(served, rows, deadline);
        } finally {
            gate.exit(System.nanoTime() - entered);
        }
    }

    /** One engine call for these rows: joined with other requests' rows when the version batches. */
    private BatchResult run(ServedVersion served, FloatBatch rows, long deadline) {
        if (served.batcher() == null) {
            metrics.batch(served.model(), served.version(), rows.rows());
            return served.handle().model().predict(rows);
        }
        CompletableFuture<BatchResult> answer;
        try {
            answer = served.batcher().submit(rows, deadline);
        } catch (QueueFullException e) {
            metrics.rejected(served.model(), served.version(), AdmissionGate.Verdict.QUEUE_FULL.label());
            throw new OverloadedException(e.getMessage(), 1);
        }
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | CancellationException e) {
            answer.cancel(false); // still queued: it will not run
            throw late(served, "waiting for its batch");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ExpiredException) {
                throw late(served, "waiting in the batch queue");
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the engine's own exception, so errors map to the same status as without batching
            }
            throw new InferenceException("batch failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            answer.cancel(false);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for a batch (the node is stopping)");
        }
    }

    private RuntimeException shed(ServedVersion served, AdmissionGate.Verdict verdict) {
        String what = served.model() + " " + served.version();
        AdmissionGate gate = served.admission().gate();
        return switch (verdict) {
            case QUEUE_FULL -> {
                metrics.rejected(served.model(), served.version(), verdict.label());
                yield new OverloadedException(what + " is overloaded on this node: " + gate.limits().maxQueue()
                        + " requests are already waiting (max_queue); retry later or on another node", 1);
            }
            case WAIT_EXCEEDS_DEADLINE -> {
                metrics.rejected(served.model(), served.version(), verdict.label());
                yield new OverloadedException(what + " is overloaded on this node: the " + gate.waiting()
                        + " requests waiting would keep this one past its deadline (about "
                        + gate.meanTurnNanos() / 1000 + " µs each, " + gate.concurrency()
                        + " at a time); retry later or on another node", 1);
            }
            case DEADLINE_PASSED -> late(served, "waiting for a turn");
            case INTERRUPTED, ADMITTED ->
                    new UnavailableException("interrupted while waiting for a turn (the node is stopping)");
        };
    }

    private DeadlineExceededException late(ServedVersion served, String where) {
        metrics.rejected(served.model(), served.version(), AdmissionGate.Verdict.DEADLINE_PASSED.label());
        return new DeadlineExceededException("the request's deadline (" + served.admission().limits().timeout()
                .toMillis() + " ms for " + served.model() + " " + served.version() + ", or a shorter "
                + "X-Request-Timeout) passed " + where + "; it was not run", 1);
    }

    /**
     * The version's fallback for a request it failed or shed, marked degraded and counted; the failure itself when
     * the policy has none, or has no answer for this input.
     */
    private Outcome degrade(ServedVersion served, ParsedInput input, RuntimeException failure) {
        FallbackPlan plan = served.admission().fallback();
        BatchResult answer = switch (plan.mode()) {
            case NONE -> null;
            case CACHED -> lastAnswers.recall(CacheKey.of(served.model(), served.version(), input.batch()));
            case DEFAULT -> plan.defaultFor(input.batch().rows());
        };
        if (answer == null) {
            throw failure;
        }
        metrics.degraded(served.model(), served.version(), plan.mode().wireName(), cause(failure));
        return new Outcome(served, answer, input.single(), false, true);
    }

    private static String cause(RuntimeException failure) {
        return switch (failure) {
            case OverloadedException o -> "overloaded";
            case DeadlineExceededException d -> "deadline";
            default -> "failure";
        };
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
