package io.modelmesh.dataplane.inference;

import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.routing.Router;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.server.errors.OverloadedException;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Preview calls ({@code X-ModelMesh-Preview: true} with {@code ?version=}): a prediction from one named version,
 * routed or not, kept out of live traffic. It runs the engine directly: no split, no sticky key, no cache, no batcher,
 * no admission gate of the routed versions, no fault, no shadow, no drift sample, no outcome window (so no canary
 * analysis and no traffic statistics) and no {@code predictions_total} series. A version the node does not route is
 * loaded on demand by the {@link Source} (a bounded set of preview models). At most {@code maxConcurrent} preview
 * calls run at once on a node; more are refused with 429 at once, so previews cannot take the engine from live
 * traffic.
 */
public final class PreviewService {
    /** Where versions the node does not route come from. */
    public interface Source {
        /**
         * The version {@code version} (a version or an alias) of {@code model}, with a reference taken on its handle
         * (the caller releases it).
         */
        Acquired acquire(String model, String version);
    }

    /** A version ready for one preview call: its target (version, schema) and its handle, referenced. */
    public record Acquired(RouteTarget target, ModelHandle handle) {
    }

    /** Preview calls a node runs at once by default. */
    public static final int DEFAULT_CONCURRENCY = 2;

    private final Supplier<ServingTable> tables;
    private final Source source;
    private final Semaphore running;
    private final int maxConcurrent;

    public PreviewService(Supplier<ServingTable> tables, Source source, int maxConcurrent) {
        this.tables = tables;
        this.source = source;
        this.maxConcurrent = maxConcurrent;
        this.running = new Semaphore(maxConcurrent);
    }

    /**
     * Predicts with the named version.
     *
     * @throws InvalidInputException (400) without a version, or for rows the version cannot read
     * @throws OverloadedException   (429) when {@code maxConcurrent} previews run already
     */
    public PredictionService.Outcome predict(String model, String version, PredictionRequest request) {
        if (version == null || version.isBlank()) {
            throw new InvalidInputException("a preview call names the version to try: POST /predict/" + model
                    + "?version=X.Y.Z (or ?version=@alias) with X-ModelMesh-Preview: true");
        }
        if (!running.tryAcquire()) {
            throw new OverloadedException("this node runs " + maxConcurrent + " preview calls at once already; "
                    + "retry later (previews never take the engine from live traffic)", 1);
        }
        try {
            Acquired a = routed(model, version);
            if (a == null) {
                a = source.acquire(model, version);
            }
            try {
                ParsedInput input = request.parse(a.handle().binding());
                BatchResult result = a.handle().model().predict(input.batch());
                ServedVersion served = new ServedVersion(model, a.target(), a.handle(), ServingPolicy.defaults(),
                        null, null);
                return new PredictionService.Outcome(served, result, input.single(), false);
            } finally {
                a.handle().release();
            }
        } finally {
            running.release();
        }
    }

    /** The version from the routing table when the node routes it (no load needed), else null. */
    private Acquired routed(String model, String version) {
        ServedModel served = tables.get().models().get(model);
        if (served == null) {
            return null;
        }
        String named;
        try {
            named = Router.resolve(served, model, version);
        } catch (io.modelmesh.dataplane.NotFoundException e) {
            return null; // the control plane may know it
        }
        ServedVersion v = served.versions().get(named);
        if (v == null || !v.handle().acquire()) {
            return null;
        }
        return new Acquired(v.target(), v.handle());
    }
}
