import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What a circuit breaker costs a cache call, per call, closed (every call goes through) and open (every call is
 * turned away): Helidon's {@code CircuitBreaker.invoke} (helidon-fault-tolerance 4.1.7) against the hand-written
 * breaker the Redis cache had before ({@code tryAcquire}/{@code onSuccess}, reproduced below as it was), around a
 * call that does nearly nothing, so the number is the breaker's own cost. 1 and 2 threads (contention on shared state
 * shows with 2). Run from the repository root after a build:
 *
 *   java -cp "dist/target/modelmesh/lib/*" bench/java/BreakerCost.java [millions of calls per run, default 20]
 *
 * Prints a markdown table of nanoseconds per call (median of 5 runs).
 */
public class BreakerCost {
    private static volatile Object sink;

    public static void main(String[] args) throws Exception {
        long calls = (args.length > 0 ? Long.parseLong(args[0]) : 20) * 1_000_000L;
        Supplier<Object> work = () -> Boolean.TRUE; // the cache call itself, made free
        CircuitBreaker helidonClosed = CircuitBreaker.builder().volume(10).errorRatio(60).delay(Duration.ofSeconds(2))
                .build();
        CircuitBreaker helidonOpen = CircuitBreaker.builder().volume(10).errorRatio(60).delay(Duration.ofHours(1))
                .build();
        helidonOpen.state(CircuitBreaker.State.OPEN);
        HandWritten oursClosed = new HandWritten(5, Duration.ofSeconds(2));
        HandWritten oursOpen = new HandWritten(1, Duration.ofHours(1));
        oursOpen.tryAcquire();
        oursOpen.onFailure();

        Call[] variants = {
                () -> sink = helidonClosed.invoke(work),
                () -> {
                    try {
                        sink = helidonOpen.invoke(work);
                    } catch (CircuitBreakerOpenException e) {
                        sink = e;
                    }
                },
                () -> {
                    if (helidonOpen.state() == CircuitBreaker.State.OPEN) {
                        sink = null; // what RedisCache does: an open breaker is read, not called
                    } else {
                        sink = helidonOpen.invoke(work);
                    }
                },
                () -> {
                    if (oursClosed.tryAcquire()) {
                        sink = work.get();
                        oursClosed.onSuccess();
                    }
                },
                () -> {
                    if (oursOpen.tryAcquire()) {
                        sink = work.get();
                        oursOpen.onSuccess();
                    } else {
                        sink = null;
                    }
                },
        };
        String[] names = {"helidon CircuitBreaker.invoke, closed", "helidon CircuitBreaker.invoke, open (throws)",
                "helidon, open, state() read first (RedisCache's bypass)",
                "hand-written tryAcquire/onSuccess, closed", "hand-written tryAcquire, open (bypass)"};
        System.out.println("| breaker | ns/call, 1 thread | ns/call, 2 threads |");
        System.out.println("|---|---:|---:|");
        for (int v = 0; v < variants.length; v++) {
            double one = median(variants[v], 1, calls);
            double two = median(variants[v], 2, calls);
            System.out.printf("| %s | %.1f | %.1f |%n", names[v], one, two);
        }
    }

    interface Call {
        void run();
    }

    private static double median(Call call, int threads, long calls) throws Exception {
        run(call, threads, calls / 4); // warm-up
        List<Double> runs = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            runs.add(run(call, threads, calls));
        }
        runs.sort(Double::compare);
        return runs.get(2);
    }

    /** Nanoseconds per call with {@code threads} threads each making {@code calls / threads} calls. */
    private static double run(Call call, int threads, long calls) throws Exception {
        long each = calls / threads;
        CountDownLatch start = new CountDownLatch(1);
        LongAdder busy = new LongAdder();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long t0 = System.nanoTime();
                for (long i = 0; i < each; i++) {
                    call.run();
                }
                busy.add(System.nanoTime() - t0);
            });
            ts.add(th);
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        return (double) busy.sum() / (each * threads);
    }

    /** The Redis cache's breaker before helidon-fault-tolerance replaced it (commit bf3a9aa), unchanged in logic. */
    static final class HandWritten {
        enum State { CLOSED, OPEN, HALF_OPEN }

        private final int failureThreshold;
        private final long openNanos;
        private final java.util.concurrent.atomic.AtomicInteger consecutiveFailures =
                new java.util.concurrent.atomic.AtomicInteger();
        private volatile State state = State.CLOSED;
        private long openedAt;
        private long trialStartedAt;

        HandWritten(int failureThreshold, Duration openDelay) {
            this.failureThreshold = failureThreshold;
            this.openNanos = openDelay.toNanos();
        }

        boolean tryAcquire() {
            if (state == State.CLOSED) {
                return true;
            }
            synchronized (this) {
                long now = System.nanoTime();
                switch (state) {
                    case CLOSED -> {
                        return true;
                    }
                    case OPEN -> {
                        if (now - openedAt < openNanos) {
                            return false;
                        }
                        state = State.HALF_OPEN;
                        trialStartedAt = now;
                        return true;
                    }
                    default -> {
                        if (now - trialStartedAt < openNanos) {
                            return false;
                        }
                        trialStartedAt = now;
                        return true;
                    }
                }
            }
        }

        void onSuccess() {
            State s = state;
            if (s == State.CLOSED) {
                if (consecutiveFailures.get() != 0) {
                    consecutiveFailures.set(0);
                }
                return;
            }
            synchronized (this) {
                if (state == State.HALF_OPEN) {
                    consecutiveFailures.set(0);
                    state = State.CLOSED;
                }
            }
        }

        void onFailure() {
            State s = state;
            if (s == State.CLOSED && consecutiveFailures.incrementAndGet() < failureThreshold) {
                return;
            }
            if (s == State.OPEN) {
                return;
            }
            synchronized (this) {
                if (state != State.OPEN) {
                    state = State.OPEN;
                    openedAt = System.nanoTime();
                }
            }
        }
    }
}
