package io.modelmesh.dataplane.cache;

import io.modelmesh.dataplane.Await;
import io.modelmesh.dataplane.cache.TestResults.CountingEvents;
import io.helidon.faulttolerance.CircuitBreaker;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis dies while predictions run and comes back later: no prediction notices beyond a cache miss.
 *
 * <p>Eight threads run "predictions" (get; on a miss compute and put) over 50 inputs the whole time. The breaker is
 * helidon-fault-tolerance's, whose open delay runs on its own timer: the test waits for the state it expects (every wait
 * is for a condition, with a deadline), never for a fixed time.
 */
class RedisOutageIT {
    private static final int THREADS = 8;
    private static final int INPUTS = 50;
    private static final Duration OPEN_DELAY = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final CacheKey[] keys = new CacheKey[INPUTS];
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong computed = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();

    /** What the "model" answers for input i (deterministic, so any cached copy can be checked). */
    private static BatchResult compute(int i) {
        return TestResults.scores(i, 2);
    }

    private void predictions(PredictionCache cache) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stop.get()) {
            int i = random.nextInt(INPUTS);
            try {
                BatchResult r = cache.get(keys[i]);
                if (r == null) {
                    r = compute(i);
                    computed.incrementAndGet();
                    cache.put(keys[i], r, 60);
                }
                if (!TestResults.same(compute(i), r)) {
                    wrong.incrementAndGet();
                }
            } catch (Throwable t) {
                thrown.add(t);
            }
            calls.incrementAndGet();
            LockSupport.parkNanos(20_000); // about a prediction's worth of pacing, so eight threads do not spin flat out
        }
    }

    private void awaitMoreCalls(long n, String phase) {
        long target = calls.get() + n;
        Await.until(() -> calls.get() >= target, WAIT, n + " more predictions " + phase);
    }

    @Test
    void predictionsSurviveRedisDyingAndRecoverWhenItReturns() throws Exception {
        for (int i = 0; i < INPUTS; i++) {
            keys[i] = CacheKey.of("outage", "v1", new FloatBatch(new float[]{i, i + 0.5f}, 1, 2));
        }
        CountingEvents events = new CountingEvents();
        List<Thread> workers = new ArrayList<>();
        try (TestRedis redis = TestRedis.start();
             RedisCache cache = new RedisCache(RedisCacheConfig.of(redis.url()).withBreaker(5, OPEN_DELAY), events)) {
            for (int t = 0; t < THREADS; t++) {
                Thread w = Thread.ofPlatform().name("prediction-" + t).start(() -> predictions(cache));
                workers.add(w);
            }

            // 1. warm: predictions are answered from Redis
            Await.until(() -> events.count(CacheEvents.HIT) >= 500, WAIT, "hits while Redis is up " + events);
            assertEquals(CircuitBreaker.State.CLOSED, cache.breakerState());

            // 2. Redis dies: a few errors, then the breaker opens and predictions bypass the cache
            redis.stop();
            Await.until(() -> cache.breakerState() == CircuitBreaker.State.OPEN, WAIT, "the breaker to open");
            long openedAt = System.nanoTime();
            long errorsWhenOpened = events.count(CacheEvents.ERROR);
            long bypassBefore = events.count(CacheEvents.BYPASS);
            awaitMoreCalls(500, "while Redis is down");
            assertTrue(events.count(CacheEvents.BYPASS) - bypassBefore >= 500, "bypassed: " + events);
            if (System.nanoTime() - openedAt < OPEN_DELAY.toNanos() / 2) { // a busy machine may be slower than that
                assertEquals(CircuitBreaker.State.OPEN, cache.breakerState(), "no trial before the delay");
                assertTrue(events.count(CacheEvents.ERROR) - errorsWhenOpened <= THREADS, "no calls while open");
            }
            // the threshold plus calls in flight when Redis died (a reply that still got through resets the count)
            assertTrue(errorsWhenOpened <= 4 * THREADS, "errors before the breaker opened: " + errorsWhenOpened);

            // 3. the delay passes while Redis is still down: one trial, it fails, the breaker opens again
            long errorsBeforeTrial = events.count(CacheEvents.ERROR);
            Await.until(() -> events.count(CacheEvents.ERROR) > errorsBeforeTrial, WAIT, "the failed trial");
            Await.until(() -> cache.breakerState() == CircuitBreaker.State.OPEN, WAIT, "open again after the trial");
            assertTrue(events.count(CacheEvents.ERROR) - errorsBeforeTrial <= 1 + THREADS,
                    "one trial, not a stampede: " + events);

            // 4. Redis comes back (empty): after the delay a trial succeeds, the breaker closes, hits resume
            redis.restart();
            Await.until(() -> cache.breakerState() == CircuitBreaker.State.CLOSED, WAIT,
                    "the breaker to close after a trial " + events);
            long hitsAfterRecovery = events.count(CacheEvents.HIT);
            Await.until(() -> events.count(CacheEvents.HIT) >= hitsAfterRecovery + 500, WAIT,
                    "hits again after Redis returned " + events);
        } finally {
            stop.set(true);
            for (Thread w : workers) {
                w.join(WAIT.toMillis());
            }
        }
        for (Thread w : workers) {
            assertTrue(!w.isAlive(), w.getName() + " did not stop");
        }
        if (!thrown.isEmpty()) {
            throw new AssertionError(thrown.size() + " exceptions reached the caller; first:", thrown.peek());
        }
        assertEquals(0, wrong.get(), "predictions answered with a wrong value");
        assertTrue(calls.get() >= 3000, "predictions run: " + calls.get());
        assertTrue(computed.get() < calls.get(), "some predictions came from the cache");
    }
}
