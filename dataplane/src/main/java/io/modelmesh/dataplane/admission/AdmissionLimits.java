package io.modelmesh.dataplane.admission;

import java.time.Duration;

/**
 * The admission limits one served version runs under on this node, resolved from its serving policy and the node's
 * defaults ({@link AdmissionDefaults}).
 *
 * @param maxConcurrency       requests served at once (past the gate: running the engine or in the version's batcher)
 * @param maxQueue             requests waiting for a turn; one more is refused at once
 * @param timeout              each request's deadline from its arrival
 * @param shortTurnConcurrency requests served at once while the version's turns are short (see {@link AdmissionGate}):
 *                             at least {@code maxConcurrency}; equal to it when the limit was set explicitly
 */
public record AdmissionLimits(int maxConcurrency, int maxQueue, Duration timeout, int shortTurnConcurrency) {
    public AdmissionLimits {
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("max concurrency must be >= 1, got " + maxConcurrency);
        }
        if (maxQueue < 1) {
            throw new IllegalArgumentException("max queue must be >= 1, got " + maxQueue);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (shortTurnConcurrency < maxConcurrency) {
            throw new IllegalArgumentException("short-turn concurrency must be >= max concurrency " + maxConcurrency
                    + ", got " + shortTurnConcurrency);
        }
    }

    /** Limits that stay as given whatever the turns' length (an explicit limit). */
    public AdmissionLimits(int maxConcurrency, int maxQueue, Duration timeout) {
        this(maxConcurrency, maxQueue, timeout, maxConcurrency);
    }

    /** The concurrency in force: {@code shortTurnConcurrency} while turns are short, else {@code maxConcurrency}. */
    int concurrency(boolean shortTurns) {
        return shortTurns ? shortTurnConcurrency : maxConcurrency;
    }
}
