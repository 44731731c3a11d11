package io.modelmesh.dataplane.cache;

import io.helidon.faulttolerance.CircuitBreaker;
import io.modelmesh.dataplane.Await;
import io.modelmesh.dataplane.cache.TestResults.CountingEvents;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RedisCache against a real Redis started by the test. */
class RedisCacheIT {
    private static TestRedis redis;
    private static RedisClient admin;

    @BeforeAll
    static void start() {
        redis = TestRedis.start();
        admin = RedisClient.create(redis.url());
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static CacheKey key(String model, float... values) {
        return CacheKey.of(model, "v1", new FloatBatch(values, 1, values.length));
    }

    @Test
    void putThenGetRoundTripsEveryDatatype() {
        CountingEvents events = new CountingEvents();
        try (RedisCache cache = new RedisCache(RedisCacheConfig.of(redis.url()), events)) {
            CacheKey k = key("put-get", 1, 2, 3);
            assertNull(cache.get(k));
            BatchResult r = new BatchResult(List.of(
                    new OutputTensor("p", "FP32", new long[]{1, 2}, new float[]{0.25f, 0.75f}),
                    new OutputTensor("label", "BYTES", new long[]{1}, new String[]{"versicolor"}),
                    new OutputTensor("id", "INT64", new long[]{1}, new long[]{7}),
                    new OutputTensor("ok", "BOOL", new long[]{1}, new boolean[]{true}),
                    new OutputTensor("d", "FP64", new long[]{1}, new double[]{1e-9}),
                    new OutputTensor("i", "INT32", new long[]{1}, new int[]{-3})));
            cache.put(k, r, 60);
            assertTrue(TestResults.same(r, cache.get(k)));
            assertEquals(1, events.count(CacheEvents.MISS));
            assertEquals(1, events.count(CacheEvents.STORE));
            assertEquals(1, events.count(CacheEvents.HIT));
            assertEquals(0, events.count(CacheEvents.ERROR));
            assertEquals("redis", cache.kind());
        }
    }

    @Test
    void redisExpiresEntriesAtTheirTtl() {
        try (RedisCache cache = new RedisCache(RedisCacheConfig.of(redis.url()), CacheEvents.NONE)) {
            CacheKey shortLived = key("ttl", 1);
            CacheKey longLived = key("ttl", 2);
            cache.put(shortLived, TestResults.scores(1, 1), 1);
            cache.put(longLived, TestResults.scores(2, 1), 3600);
            long pttl = admin.pttl(RedisCache.redisKey(shortLived));
            assertTrue(pttl > 0 && pttl <= 1000, "PTTL of a 1 s entry: " + pttl);
            long ttl = admin.ttl(RedisCache.redisKey(longLived));
            assertTrue(ttl > 3500 && ttl <= 3600, "TTL of a 1 h entry: " + ttl);
            assertNotNull(cache.get(shortLived));
            // Redis' own expiry, not our bookkeeping: the entry goes within about a second of its TTL
            Await.until(() -> cache.get(shortLived) == null, Duration.ofSeconds(5), "the 1 s entry to expire");
            assertEquals(-2, admin.pttl(RedisCache.redisKey(shortLived)), "the key is gone from Redis");
            assertNotNull(cache.get(longLived));
        }
    }

    @Test
    void twoNodesShareOneRedis() {
        CountingEvents a = new CountingEvents();
        CountingEvents b = new CountingEvents();
        try (RedisCache nodeA = new RedisCache(RedisCacheConfig.of(redis.url()), a);
             RedisCache nodeB = new RedisCache(RedisCacheConfig.of(redis.url()), b)) {
            CacheKey k = key("shared", 4, 5);
            nodeA.put(k, TestResults.scores(9, 2), 60);
            assertTrue(TestResults.same(TestResults.scores(9, 2), nodeB.get(k)), "computed on A, served by B");
            assertEquals(1, b.count(CacheEvents.HIT));
            assertEquals(0, b.count(CacheEvents.STORE));
        }
    }

    @Test
    void aValueInAnotherFormatIsAMissNotAFailure() {
        CountingEvents events = new CountingEvents();
        try (RedisCache cache = new RedisCache(RedisCacheConfig.of(redis.url()), events)) {
            CacheKey k = key("foreign", 1);
            admin.set(RedisCache.redisKey(k), "not a result".getBytes());
            assertNull(cache.get(k));
            assertEquals(1, events.count(CacheEvents.ERROR));
            assertEquals(CircuitBreaker.State.CLOSED, cache.breakerState(), "Redis itself answered fine");
            cache.put(k, TestResults.scores(1, 1), 60);
            assertNotNull(cache.get(k), "the next put replaced it");
        }
    }

    @Test
    void oversizedValuesAreNotSent() {
        CountingEvents events = new CountingEvents();
        RedisCacheConfig small = new RedisCacheConfig(redis.url(), Duration.ofMillis(100), Duration.ofMillis(100), 4,
                Duration.ofMillis(50), 5, Duration.ofSeconds(2), 1024);
        try (RedisCache cache = new RedisCache(small, events)) {
            CacheKey k = key("big", 1);
            cache.put(k, new BatchResult(List.of(new OutputTensor("p", "FP32", new long[]{1000}, new float[1000]))), 60);
            assertEquals(1, events.count(CacheEvents.SKIP));
            assertEquals(-2, admin.pttl(RedisCache.redisKey(k)));
        }
    }

    @Test
    void nothingListeningMeansMissesThenBypassNeverAnException() throws Exception {
        int deadPort = TestRedis.freePort();
        CountingEvents events = new CountingEvents();
        RedisCacheConfig config = RedisCacheConfig.of(URI.create("redis://127.0.0.1:" + deadPort))
                .withBreaker(3, Duration.ofMillis(300));
        try (RedisCache cache = new RedisCache(config, events)) { // constructing does not connect
            for (int i = 0; i < 10; i++) {
                assertNull(cache.get(key("dead", i)));
                cache.put(key("dead", i), TestResults.scores(i, 1), 60);
            }
            assertEquals(3, events.count(CacheEvents.ERROR), "three failures open the breaker");
            assertEquals(17, events.count(CacheEvents.BYPASS), "then nothing touches the socket");
            assertEquals(CircuitBreaker.State.OPEN, cache.breakerState());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> cache.breakerState() == CircuitBreaker.State.HALF_OPEN); // after the 300 ms delay
            assertNull(cache.get(key("dead", 0)));
            assertEquals(4, events.count(CacheEvents.ERROR), "one trial after the delay, failed");
            assertEquals(CircuitBreaker.State.OPEN, cache.breakerState());
        }
    }
}
