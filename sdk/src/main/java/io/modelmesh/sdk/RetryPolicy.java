package io.modelmesh.sdk;

import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * When and how long {@link ModelMeshClient} waits before it tries an idempotent call again: reads from the control plane
 * ({@code GET}) and predictions (pure functions of their input). Nothing that writes is ever retried: a register or a
 * deploy whose answer was lost may have happened.
 *
 * <p><b>Backoff.</b> Retry {@code n} (1 for the first) waits a random time in {@code [d/2, d]} with
 * {@code d = min(maxDelay, baseDelay × 2^(n-1))} — exponential, with "equal jitter": clients that failed together do not
 * come back together, and none comes back sooner than half the step. A server's {@code Retry-After} raises the wait to
 * what it asked for, up to {@code maxDelay}. A prediction's first retry on <em>another</em> node goes at once: that
 * node has not failed.
 *
 * <p><b>What is retried</b> ({@link #classify}): a connection that could not be made or broke before the answer
 * (refused, reset, closed, a connect timeout), and 429/502/503/504 answers. Not a request that timed out waiting for
 * its answer (it may still be running; trying again would multiply the wait), a TLS failure (configuration) or any other
 * status. For predictions, overload (429, or 503 {@code deadline_exceeded}) is retried on another node only: sending
 * it back to the same node would add to what overloaded it.
 *
 * <p>Pure apart from the random draws, which are a parameter. The SDK depends on nothing but the JDK and the api
 * module, so this is written here rather than taken from a fault-tolerance library.
 *
 * @param maxAttempts total attempts including the first (1: no retries)
 * @param baseDelay   the first backoff step
 * @param maxDelay    the largest wait between attempts
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    /** 3 attempts, waits of 50-100 ms then 100-200 ms (a {@code Retry-After} up to 2 s is honoured). */
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1..10, got " + maxAttempts);
        }
        if (baseDelay == null || baseDelay.isNegative() || maxDelay == null || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay, got " + baseDelay + ", " + maxDelay);
        }
    }

    /** Never retries. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** How a failed attempt may be retried. */
    public enum Retry {
        /** Not at all: the answer stands. */
        NO,
        /** On any node (another first): the node could not be reached, or is shutting down. */
        ANY_NODE,
        /** Only on another node: the node is alive but overloaded. */
        OTHER_NODE
    }

    /** Whether another attempt is allowed after {@code attemptsMade} attempts. */
    public boolean allowsAnother(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * The wait before retry {@code retry} (1-based).
     *
     * @param retryAfterSeconds the server's {@code Retry-After}, if it sent one
     * @param random            uniform draws in [0, 1)
     */
    public Duration delay(int retry, OptionalLong retryAfterSeconds, DoubleSupplier random) {
        long cap = maxDelay.toNanos();
        long step = baseDelay.toNanos();
        for (int i = 1; i < retry && step < cap; i++) {
            step = Math.min(cap, step * 2);
        }
        step = Math.min(cap, step);
        long wait = step / 2 + (long) (random.getAsDouble() * (step - step / 2));
        if (retryAfterSeconds.isPresent()) {
            long asked = Duration.ofSeconds(Math.max(0, Math.min(retryAfterSeconds.getAsLong(), 3600))).toNanos();
            wait = Math.max(wait, Math.min(asked, cap));
        }
        return Duration.ofNanos(wait);
    }

    /**
     * How a failure may be retried.
     *
     * @param prediction true for a prediction (overload goes to another node only), false for a read
     */
    public static Retry classify(ModelMeshException e, boolean prediction) {
        Throwable cause = e.getCause();
        if (cause != null) {
            if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                return Retry.NO; // no answer within the timeout: it may still be running
            }
            if (cause instanceof javax.net.ssl.SSLException || cause instanceof InterruptedException) {
                return Retry.NO;
            }
            return cause instanceof java.io.IOException ? Retry.ANY_NODE : Retry.NO;
        }
        String code = e.error().error();
        return switch (e.status()) {
            case 503 -> "shutting_down".equals(code) ? Retry.ANY_NODE
                    : prediction ? Retry.OTHER_NODE : Retry.ANY_NODE;
            case 429 -> prediction ? Retry.OTHER_NODE : Retry.ANY_NODE;
            case 502, 504 -> prediction ? Retry.OTHER_NODE : Retry.ANY_NODE;
            default -> Retry.NO;
        };
    }
}
