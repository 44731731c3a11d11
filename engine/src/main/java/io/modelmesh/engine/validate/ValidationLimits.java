package io.modelmesh.engine.validate;

import java.time.Duration;
import java.util.Objects;

/**
 * What validating one artifact may cost: wall-clock time from the moment its job is handed to the child process, and
 * the child's resident memory (its heap is capped at half of it, so a Java-side blow-up fails inside the child first).
 * The same two settings, {@code MM_VALIDATION_TIMEOUT} / {@code --validation-timeout} and {@code MM_VALIDATION_MEMORY} /
 * {@code --validation-memory}, bound the control plane's validation of uploads and each node's validation of the
 * artifacts it is asked to serve.
 *
 * @param timeout     longest a validation may run (default 30 s: a fresh JVM, the runtime's native load and a warm-up
 *                    on a busy 2-core machine passed 10 s; a forward pass that never returns still costs one core
 *                    for at most this long)
 * @param memoryBytes most resident memory (RSS) the validating process may reach (default 2 GiB)
 */
public record ValidationLimits(Duration timeout, long memoryBytes) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MEMORY_BYTES = 2L << 30;
    /** Below this a JVM with a model runtime cannot even start. */
    public static final long MIN_MEMORY_BYTES = 128L << 20;

    public ValidationLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the validation timeout must be positive, got " + timeout);
        }
        if (memoryBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("the validation memory limit must be at least " + (MIN_MEMORY_BYTES >> 20)
                    + " MiB, got " + memoryBytes + " bytes");
        }
    }

    public static ValidationLimits defaults() {
        return new ValidationLimits(DEFAULT_TIMEOUT, DEFAULT_MEMORY_BYTES);
    }

    /** The child's maximum heap: half the memory limit, leaving the rest to native runtimes and the JVM itself. */
    long heapBytes() {
        return Math.max(64L << 20, memoryBytes / 2);
    }

    @Override
    public String toString() {
        return "timeout " + timeout.toMillis() + " ms, memory " + (memoryBytes >> 20) + " MiB";
    }
}
