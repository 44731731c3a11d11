package io.modelmesh.dataplane.cache;

import io.modelmesh.api.security.Redaction;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Which cache a node runs, parsed once at start from the environment:
 * <ul>
 *   <li>{@code MM_REDIS_URL} ({@code redis://host:port[/db]}): share results with the other nodes through Redis;</li>
 *   <li>{@code MM_REDIS_TIMEOUT_MS} (default 100): connect and reply timeout for that Redis;</li>
 *   <li>otherwise a cache in this node's memory, bounded by {@code MM_CACHE_MAX_BYTES} (default 64m; a number of
 *       bytes, or with a k, m or g suffix for KiB, MiB, GiB).</li>
 * </ul>
 * Whether a model is cached at all, and for how long, is its serving policy's {@code cacheTtlSeconds}, not this.
 */
public sealed interface CacheConfig {

    /** A cache in this node's memory. */
    record Memory(long maxBytes) implements CacheConfig {
        public Memory {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("MM_CACHE_MAX_BYTES must be positive, got " + maxBytes);
            }
        }
    }

    /** A cache in Redis, shared by all nodes that point at it. */
    record Redis(RedisCacheConfig redis) implements CacheConfig {
    }

    /**
     * @throws IllegalArgumentException naming the variable that is wrong
     */
    static CacheConfig fromEnv(Map<String, String> env) {
        String url = env.get("MM_REDIS_URL");
        if (url != null && !url.isBlank()) {
            URI uri;
            try {
                uri = URI.create(url.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MM_REDIS_URL is not a URL: " + Redaction.url(e.getMessage()));
            }
            RedisCacheConfig redis;
            try {
                redis = RedisCacheConfig.of(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MM_REDIS_URL: " + e.getMessage());
            }
            String timeout = env.get("MM_REDIS_TIMEOUT_MS");
            if (timeout != null && !timeout.isBlank()) {
                long ms = number("MM_REDIS_TIMEOUT_MS", timeout.strip());
                if (ms < 1 || ms > 60_000) {
                    throw new IllegalArgumentException("MM_REDIS_TIMEOUT_MS must be 1..60000, got " + ms);
                }
                redis = redis.withTimeout(Duration.ofMillis(ms));
            }
            return new Redis(redis);
        }
        String max = env.get("MM_CACHE_MAX_BYTES");
        return new Memory(max == null || max.isBlank() ? MemoryCache.DEFAULT_MAX_BYTES : bytes(max.strip()));
    }

    private static long bytes(String s) {
        String v = s.toLowerCase(Locale.ROOT);
        int shift = switch (v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        long n = number("MM_CACHE_MAX_BYTES", shift == 0 ? v : v.substring(0, v.length() - 1));
        if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("MM_CACHE_MAX_BYTES must be a positive size like 67108864 or 64m, got "
                    + s);
        }
        return n << shift;
    }

    private static long number(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number" + (name.endsWith("BYTES")
                    ? " of bytes, optionally with k, m or g (64m)" : "") + ", got '" + v + "'");
        }
    }
}
