package io.modelmesh.dataplane.sync;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.faulttolerance.Retry;
import io.helidon.faulttolerance.RetryTimeoutException;
import io.helidon.faulttolerance.Timeout;
import io.helidon.faulttolerance.TimeoutException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a node reaches its control planes, with Helidon fault tolerance: each call is retried with exponential backoff
 * and jitter ({@link Backoff}) while it fails in a way a later try may not (no connection, a timeout, a 5xx); each
 * attempt has a time limit ({@link Timeout}); each control plane has a {@link CircuitBreaker} that opens after 3 of 4
 * calls failed and lets one probe through every {@link #BREAKER_DELAY}, so a node neither hammers a dead control plane
 * nor waits long for one that came back. Calls go to the control plane that answered last; a failure moves the next
 * attempt to the next one whose breaker is not open, and when every breaker is open the call fails at once. An answer
 * that says no (a 4xx) and a failed TLS handshake are final: neither retried nor counted against the control plane.
 * None of this is on the prediction path.
 */
final class ControlPlaneChannel {
    static final Duration BREAKER_DELAY = Duration.ofSeconds(2);

    /** How hard one kind of call tries. */
    record Policy(String name, int calls, Duration firstBackoff, Duration maxBackoff, Duration attemptTimeout,
                  Duration overall) {
    }

    /** Heartbeats, joins, outcome reports, credentials: small answers. */
    static final Policy SMALL = new Policy("small", 3, Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(10), Duration.ofSeconds(30));
    /** The routing table: up to 64 MiB. */
    static final Policy TABLE = new Policy("table", 3, Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(30), Duration.ofSeconds(90));

    /** One try against one control plane. */
    @FunctionalInterface
    interface Attempt<T> {
        T call(URI base) throws IOException, InterruptedException;
    }

    /** A failure a later try, maybe on another control plane, may not have. */
    private static final class Transient extends RuntimeException {
        Transient(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** A final answer (a refusal, an interrupt): ends the call as it is. */
    private static final class Final extends RuntimeException {
        Final(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private record Target(URI base, CircuitBreaker breaker) {
    }

    private final List<Target> targets;
    private volatile int preferred;

    ControlPlaneChannel(List<URI> bases) {
        List<Target> t = new ArrayList<>();
        for (URI base : bases) {
            t.add(new Target(base, CircuitBreaker.builder().name("control-plane " + base).volume(4).errorRatio(75)
                    .successThreshold(1).delay(BREAKER_DELAY).addApplyOn(Transient.class).build()));
        }
        this.targets = List.copyOf(t);
    }

    /** The control plane calls go to first now. */
    URI current() {
        return targets.get(preferred).base();
    }

    List<URI> all() {
        return targets.stream().map(Target::base).toList();
    }

    /**
     * Runs {@code attempt} under {@code policy}.
     *
     * @throws IOException the last failure when no attempt succeeded ({@link NoControlPlaneException} when every
     *                     control plane's breaker is open), or the final answer an attempt got
     */
    <T> T call(Policy policy, Attempt<T> attempt) throws IOException, InterruptedException {
        return call(policy, policy.attemptTimeout(), policy.overall(), attempt);
    }

    /** The same with another attempt time limit and overall time limit (downloads: the preparation's). */
    <T> T call(Policy policy, Duration attemptTimeout, Duration overall, Attempt<T> attempt)
            throws IOException, InterruptedException {
        Retry retry = Retry.builder().name(policy.name()).overallTimeout(overall)
                .retryPolicy(new Backoff(policy.calls(), policy.firstBackoff(), policy.maxBackoff(),
                        () -> ThreadLocalRandom.current().nextDouble()))
                .addApplyOn(Transient.class).build();
        Timeout limit = Timeout.builder().name(policy.name()).timeout(attemptTimeout).currentThread(true).build();
        try {
            return retry.invoke(() -> once(limit, attempt));
        } catch (Transient e) {
            throw (IOException) e.getCause();
        } catch (Final e) {
            if (e.getCause() instanceof InterruptedException ie) {
                throw ie;
            }
            throw (IOException) e.getCause();
        } catch (RetryTimeoutException e) {
            throw new IOException("no control plane answered within " + overall.toSeconds() + " s ("
                    + e.getCause() + ")", e);
        }
    }

    private <T> T once(Timeout limit, Attempt<T> attempt) {
        int first = preferred;
        for (int k = 0; k < targets.size(); k++) {
            int i = (first + k) % targets.size();
            Target t = targets.get(i);
            if (t.breaker().state() == CircuitBreaker.State.OPEN) {
                continue;
            }
            try {
                T value = t.breaker().invoke(() -> timed(limit, attempt, t.base()));
                preferred = i;
                return value;
            } catch (Transient e) {
                preferred = (i + 1) % targets.size(); // the next attempt, after its backoff, goes elsewhere first
                throw e;
            } catch (CircuitBreakerOpenException e) {
                // half-open with its probe under way: try the next control plane
            }
        }
        throw new Final(new NoControlPlaneException(all()));
    }

    private static <T> T timed(Timeout limit, Attempt<T> attempt, URI base) {
        try {
            return limit.invoke(() -> {
                try {
                    return attempt.call(base);
                } catch (ControlPlaneApi.SessionLostException | ControlPlaneApi.RefusedException
                         | javax.net.ssl.SSLHandshakeException e) {
                    throw new Final(e); // a refusal, or a certificate this node does not trust: not worth a retry
                } catch (IOException e) {
                    throw new Transient(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the time limit's own interrupt is told apart by it
                    throw new Final(e);
                }
            });
        } catch (TimeoutException e) {
            throw new Transient(new InterruptedIOException("no answer from " + base + " within the time limit"));
        }
    }

    /** Every control plane's breaker is open: none answered recently, and the node does not call them until a probe. */
    static final class NoControlPlaneException extends IOException {
        NoControlPlaneException(List<URI> bases) {
            super("no control plane reachable (" + bases + " failed recently; the next probe is within "
                    + BREAKER_DELAY.toSeconds() + " s)");
        }
    }
}
