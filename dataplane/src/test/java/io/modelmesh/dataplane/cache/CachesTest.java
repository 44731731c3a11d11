package io.modelmesh.dataplane.cache;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CachesTest {

    @Test
    void memoryUnlessARedisUrlIsSet() {
        try (PredictionCache c = Caches.fromEnv(Map.of(), CacheEvents.NONE)) {
            assertEquals("memory", c.kind());
            assertEquals(MemoryCache.DEFAULT_MAX_BYTES, ((MemoryCache) c).maxBytes());
        }
        try (PredictionCache c = Caches.fromEnv(Map.of("MM_REDIS_URL", " "), CacheEvents.NONE)) {
            assertEquals("memory", c.kind(), "blank is unset");
        }
    }

    @Test
    void sizesTakeSuffixes() {
        assertEquals(new CacheConfig.Memory(1 << 20), CacheConfig.fromEnv(Map.of("MM_CACHE_MAX_BYTES", "1m")));
        assertEquals(new CacheConfig.Memory(512L << 10), CacheConfig.fromEnv(Map.of("MM_CACHE_MAX_BYTES", "512K")));
        assertEquals(new CacheConfig.Memory(2L << 30), CacheConfig.fromEnv(Map.of("MM_CACHE_MAX_BYTES", "2g")));
        assertEquals(new CacheConfig.Memory(1000), CacheConfig.fromEnv(Map.of("MM_CACHE_MAX_BYTES", "1000")));
    }

    @Test
    void redisWhenAUrlIsSet() {
        CacheConfig c = CacheConfig.fromEnv(Map.of("MM_REDIS_URL", "redis://cache.internal:6380/2",
                "MM_REDIS_TIMEOUT_MS", "75"));
        RedisCacheConfig redis = assertInstanceOf(CacheConfig.Redis.class, c).redis();
        assertEquals("cache.internal:6380", redis.address());
        assertEquals(Duration.ofMillis(75), redis.socketTimeout());
        assertEquals(Duration.ofMillis(75), redis.connectTimeout());
        assertEquals(RedisCacheConfig.DEFAULT_FAILURE_THRESHOLD, redis.failureThreshold());
        String shown = RedisCacheConfig.of(java.net.URI.create("redis://u:secret@h:1")).toString();
        assertTrue(!shown.contains("secret"), shown);
    }

    @Test
    void badValuesNameTheVariable() {
        for (Map<String, String> env : new Map[]{
                Map.of("MM_CACHE_MAX_BYTES", "lots"), Map.of("MM_CACHE_MAX_BYTES", "0"),
                Map.of("MM_CACHE_MAX_BYTES", "-5m"), Map.of("MM_REDIS_URL", "http://h:1"),
                Map.of("MM_REDIS_URL", "redis://h:1", "MM_REDIS_TIMEOUT_MS", "0"),
                Map.of("MM_REDIS_URL", "redis://h:1", "MM_REDIS_TIMEOUT_MS", "soon")}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CacheConfig.fromEnv(env),
                    env.toString());
            assertTrue(e.getMessage().startsWith(env.containsKey("MM_REDIS_TIMEOUT_MS") ? "MM_REDIS_TIMEOUT_MS"
                    : env.keySet().iterator().next()), e.getMessage());
        }
    }
}
