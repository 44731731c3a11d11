package io.modelmesh.engine.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Framework;
import io.modelmesh.api.Json;
import io.modelmesh.engine.EngineConfig;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ModelValidator} over child JVMs: one child per artifact, one spare child kept started (JVM up, ONNX Runtime
 * loaded, waiting on stdin) so a validation starts at once, and at most {@link #MAX_CONCURRENT} validations at a time
 * (each may use the whole memory limit); a caller waits for a free slot up to the time limit, then gets
 * {@link Verdict.Unavailable}.
 */
final class ChildProcessValidator implements ModelValidator {
    private static final Logger LOG = System.getLogger(ChildProcessValidator.class.getName());
    /** Validations running at once. */
    static final int MAX_CONCURRENT = 2;

    private final ValidationLimits limits;
    private final EngineConfig engines;
    private final ChildLauncher launcher;
    private final ObjectMapper json = Json.mapper();
    private final Semaphore slots = new Semaphore(MAX_CONCURRENT, true);
    private final AtomicReference<ChildProcess> spare = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChildProcessValidator(ValidationLimits limits, EngineConfig engines, ChildLauncher launcher) {
        this.limits = limits;
        this.engines = engines;
        this.launcher = launcher;
    }

    static ChildProcessValidator start(ValidationLimits limits, EngineConfig engines, Path workDir) {
        ChildProcessValidator v = new ChildProcessValidator(limits, engines, ChildLauncher.prepare(limits, workDir));
        v.replenish();
        return v;
    }

    @Override
    public ValidationLimits limits() {
        return limits;
    }

    @Override
    public Verdict validate(Framework framework, Path artifact, List<String> features) {
        ValidationJob job = new ValidationJob(framework.wireName(), artifact.toAbsolutePath().toString(),
                List.copyOf(features), engines.intraOpThreads(),
                engines.nativeCacheDir() == null ? null : engines.nativeCacheDir().toAbsolutePath().toString(),
                limits.timeout().toMillis());
        try {
            if (!slots.tryAcquire(limits.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return new Verdict.Unavailable(MAX_CONCURRENT + " model validations are running and none finished "
                        + "within " + limits.timeout().toSeconds() + " s; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict.Unavailable("interrupted while waiting to validate the model");
        }
        try {
            ChildProcess child = takeSpare();
            if (child == null) {
                return new Verdict.Unavailable("the validator is closed");
            }
            Verdict verdict;
            try {
                verdict = child.run(job, limits, json);
            } finally {
                replenish(); // after, not during: a JVM starting beside the validation would take its CPU
            }
            log(artifact, verdict);
            return verdict;
        } catch (IOException e) {
            return new Verdict.Unavailable("cannot start a validation process: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict.Unavailable("interrupted while validating the model");
        } finally {
            slots.release();
        }
    }

    /** The spare child if it is still alive, else a new one. */
    private ChildProcess takeSpare() throws IOException {
        if (closed.get()) {
            return null;
        }
        ChildProcess child = spare.getAndSet(null);
        if (child != null && child.isAlive()) {
            return child;
        }
        return ChildProcess.start(launcher);
    }

    /** Starts the next spare child in the background (its JVM start is what a validation no longer waits for). */
    private void replenish() {
        Thread.ofVirtual().name("validator-spare").start(() -> {
            if (closed.get()) {
                return;
            }
            try {
                ChildProcess next = ChildProcess.start(launcher);
                ChildProcess previous = spare.getAndSet(next);
                if (previous != null) {
                    previous.kill(); // two replenishments raced: keep one spare
                }
                if (closed.get() && spare.compareAndSet(next, null)) {
                    next.kill();
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot start a spare validation process (the next validation starts its "
                        + "own): " + e.getMessage());
            }
        });
    }

    private static void log(Path artifact, Verdict verdict) {
        switch (verdict) {
            case Verdict.Valid v -> LOG.log(Level.DEBUG, "validated " + artifact.getFileName() + " in "
                    + v.took().toMillis() + " ms, peak RSS " + (v.peakRss() >> 20) + " MiB");
            case Verdict.Refused r when r.reason() != Verdict.Reason.INVALID_MODEL -> LOG.log(Level.WARNING,
                    "refused " + artifact.getFileName() + " (" + r.reason() + "): " + r.message());
            default -> LOG.log(Level.DEBUG, "validation of " + artifact.getFileName() + ": " + verdict);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ChildProcess child = spare.getAndSet(null);
            if (child != null) {
                child.kill();
            }
        }
    }
}
