package io.modelmesh.dataplane.sync;

import io.helidon.faulttolerance.Retry;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, as a Helidon {@link Retry.RetryPolicy}: after the {@code n}-th failed call the next
 * waits a random time between half and all of {@code first x 2^(n-1)}, capped at {@code max} ("equal jitter": never
 * hammering in lock-step, never waiting much less than the backoff). Helidon's own policies are either exponential or
 * jittered, not both. Pure apart from the random source, which tests pass.
 */
final class Backoff implements Retry.RetryPolicy {
    private final int calls;
    private final long firstMillis;
    private final long maxMillis;
    private final DoubleSupplier random;

    /**
     * @param calls  how many calls in all (the first one and the retries)
     * @param first  the backoff after the first failure (before jitter)
     * @param max    the longest backoff
     * @param random numbers in [0, 1)
     */
    Backoff(int calls, Duration first, Duration max, DoubleSupplier random) {
        if (calls < 1) {
            throw new IllegalArgumentException("at least one call, got " + calls);
        }
        this.calls = calls;
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    @Override
    public Optional<Long> nextDelayMillis(long firstCallMillis, long lastDelay, int call) {
        if (call >= calls) {
            return Optional.empty();
        }
        long full = call >= 62 ? maxMillis : Math.min(maxMillis, firstMillis << Math.max(0, call - 1));
        long half = full / 2;
        return Optional.of(half + (long) (random.getAsDouble() * (full - half)));
    }

    int calls() {
        return calls;
    }
}
