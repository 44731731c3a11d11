package io.modelmesh.dataplane.cache;

import java.util.Map;

/** Builds the node's one {@link PredictionCache}: in Redis when a URL is configured, else in memory. */
public final class Caches {
    private Caches() {
    }

    public static PredictionCache create(CacheConfig config, CacheEvents events) {
        return switch (config) {
            case CacheConfig.Memory m -> new MemoryCache(m.maxBytes(), events);
            case CacheConfig.Redis r -> new RedisCache(r.redis(), events);
        };
    }

    /**
     * {@link CacheConfig#fromEnv} then {@link #create}.
     *
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    public static PredictionCache fromEnv(Map<String, String> env, CacheEvents events) {
        return create(CacheConfig.fromEnv(env), events);
    }
}
