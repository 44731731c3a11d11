package io.modelmesh.dataplane.admission;

import java.time.Duration;

/**
 * The admission limits one served version runs under on this node, resolved from its serving policy and the node's
 * defaults ({@link AdmissionDefaults}).
 *
 * @param maxConcurrency requests served at once (past the gate: running the engine or in the version's batcher)
 * @param maxQueue       requests waiting for a turn; one more is refused at once
 * @param timeout        each request's deadline from its arrival
 */
public record AdmissionLimits(int maxConcurrency, int maxQueue, Duration timeout) {
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
    }
}
