package io.modelmesh.dataplane.sync;

import io.modelmesh.api.Framework;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.engine.Engines;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.Messages;
import io.modelmesh.engine.validate.ModelValidator;
import io.modelmesh.engine.validate.Verdict;
import io.modelmesh.server.config.Settings;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeoutException;

/**
 * Makes one artifact servable, off the routing intake path: on a thread of its own, it checks the framework is
 * allowed, downloads and verifies the artifact, validates it in a bounded child process the first time (the verdict is
 * kept in {@link VerdictCache}, so a refused artifact is refused again without a download), then loads and warms it in
 * this process. The caller waits for a {@link Preparation} up to a deadline; one that misses it goes on in the
 * background and its model is closed when it finishes, and until it does a new preparation of the same artifact is
 * refused at once rather than stacked behind it.
 */
public final class ModelPreparer implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ModelPreparer.class.getName());

    private final LocalStore store;
    private final ControlPlaneApi controlPlane;
    private final Engines engines;
    private final ModelValidator validator;
    private final VerdictCache verdicts;
    private final Set<Framework> allowed;
    private final Duration timeout;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("prepare-", 0).factory());
    /** Preparations still running after their caller stopped waiting, by handle key. */
    private final Map<String, CompletableFuture<ModelHandle>> overdue = new ConcurrentHashMap<>();

    /**
     * @param validator validates an artifact in a bounded child process before its first load here
     * @param allowed   frameworks this node loads
     * @param timeout   longest one artifact's preparation may take (download, validation, load, warm-up)
     */
    public ModelPreparer(LocalStore store, ControlPlaneApi controlPlane, Engines engines, ModelValidator validator,
                         Set<Framework> allowed, Duration timeout) {
        this.store = store;
        this.controlPlane = controlPlane;
        this.engines = engines;
        this.validator = validator;
        this.verdicts = new VerdictCache(store.dir().resolve("verdicts"));
        this.allowed = Set.copyOf(allowed);
        this.timeout = timeout;
    }

    /** The identity of a loaded artifact: sha256, framework and the feature names bound to it. */
    public static String key(RouteTarget target) {
        return target.sha256() + "|" + target.framework() + "|" + target.schema().features();
    }

    /** Removes what a crash may have left in the node's directory (temporary downloads and verdicts). */
    public void removeTemporaryFiles() throws java.io.IOException {
        store.removeTemporaryFiles();
        verdicts.removeTemporaryFiles();
    }

    /** Starts preparing {@code target}'s artifact; its time limit runs from now. */
    public Preparation prepare(RouteTarget target) {
        String key = key(target);
        long deadline = System.nanoTime() + timeout.toNanos();
        if (overdue.containsKey(key)) {
            return new Preparation(key, deadline, new AtomicLong(-1), CompletableFuture.failedFuture(
                    new PrepareException("an earlier attempt to load this artifact passed its time limit and has not "
                            + "ended; it is retried once it does")));
        }
        long started = System.nanoTime();
        AtomicLong took = new AtomicLong(-1);
        return new Preparation(key, deadline, took, CompletableFuture.supplyAsync(() -> {
            ModelHandle handle = run(target, key);
            took.set(System.nanoTime() - started); // before the future completes, so await's caller sees it
            return handle;
        }, threads));
    }

    /** A preparation under way. */
    public final class Preparation {
        private final String key;
        private final long deadline;
        private final CompletableFuture<ModelHandle> future;
        private final AtomicLong took;

        private Preparation(String key, long deadline, AtomicLong took, CompletableFuture<ModelHandle> future) {
            this.key = key;
            this.deadline = deadline;
            this.took = took;
            this.future = future;
        }

        /** How long the preparation took from its start to a servable model, once {@link #await} returned one. */
        public long nanos() {
            return took.get();
        }

        /**
         * The prepared model, waiting at most until the preparation's time limit.
         *
         * @throws PrepareException with the reason it failed or did not finish in time
         */
        public ModelHandle await() throws PrepareException, InterruptedException {
            try {
                return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof PrepareException p ? p
                        : new PrepareException("preparing it failed: " + Messages.firstLine(e.getCause()));
            } catch (TimeoutException e) {
                abandon();
                throw new PrepareException("it was not downloaded, validated, loaded and warmed up within the "
                        + "preparation time limit of " + timeout.toSeconds() + " s (MM_PREPARE_TIMEOUT / "
                        + "--prepare-timeout)");
            }
        }

        /** The caller will not use the model: close it when (if) it arrives. */
        public void abandon() {
            if (future.isDone()) {
                future.thenAccept(ModelHandle::retire);
                return;
            }
            overdue.put(key, future);
            future.whenComplete((handle, failure) -> {
                overdue.remove(key, future);
                if (handle != null) {
                    handle.retire();
                    LOG.log(Level.INFO, "an overdue preparation of " + key + " finished; its model is closed");
                }
            });
        }
    }

    private ModelHandle run(RouteTarget target, String key) {
        Framework framework = framework(target);
        Optional<VerdictCache.Entry> cached = verdicts.find(key, validator.limits());
        if (cached.isPresent() && !cached.get().valid()) {
            throw new PrepareException(cached.get().message());
        }
        Path artifact = download(target);
        if (cached.isEmpty()) {
            Verdict verdict = validator.validate(framework, artifact, target.schema().features());
            verdicts.save(key, verdict, validator.limits());
            switch (verdict) {
                case Verdict.Refused r -> throw new PrepareException(r.message());
                case Verdict.Unavailable u -> throw new PrepareException("it could not be validated: " + u.message());
                case Verdict.Valid v -> LOG.log(Level.DEBUG, "validated " + key + " in " + v.took().toMillis()
                        + " ms");
            }
        }
        LoadedModel model;
        try {
            model = engines.forFramework(framework).load(artifact, target.schema().features());
        } catch (InvalidModelException e) {
            throw new PrepareException(e.getMessage());
        }
        try {
            model.warmUp();
        } catch (RuntimeException e) {
            model.close();
            throw new PrepareException("warm-up of " + target.version() + " failed: " + Messages.firstLine(e));
        }
        return new ModelHandle(key, model);
    }

    private Framework framework(RouteTarget target) {
        Framework f;
        try {
            f = Framework.parse(target.framework());
        } catch (IllegalArgumentException e) {
            throw new PrepareException(e.getMessage());
        }
        if (!allowed.contains(f)) {
            throw new PrepareException("framework '" + f.wireName() + "' is not allowed on this node, which loads "
                    + Settings.list(allowed) + " models only (MM_ALLOWED_FRAMEWORKS / --allowed-frameworks)");
        }
        return f;
    }

    private Path download(RouteTarget target) {
        try {
            if (!store.hasVerified(target.sha256())) {
                controlPlane.download(target.sha256(), store);
            }
            return store.artifact(target.sha256());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrepareException("interrupted while downloading the artifact");
        } catch (java.io.IOException e) {
            throw new PrepareException(e.getMessage());
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        validator.close();
    }

    /** Why a model could not be prepared; the message is for the operator and the acknowledgement. */
    public static final class PrepareException extends RuntimeException {
        public PrepareException(String message) {
            super(message, null, false, false);
        }
    }
}
