package io.modelmesh.dataplane.cache;

import io.modelmesh.api.security.Redaction;
import redis.clients.jedis.util.JedisURIHelper;

import java.net.URI;
import java.time.Duration;

/**
 * How a node talks to the shared Redis.
 *
 * <p>Timeouts are short on purpose. A local GET answers in well under a millisecond; a Redis that has not answered in
 * 100 ms is in trouble, and every millisecond spent waiting for it is added to a prediction that could have been
 * computed instead. With these timeouts a dead Redis costs at most one timeout per call until the breaker opens
 * ({@code failureThreshold} calls), then nothing.
 *
 * @param url              {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} for TLS
 * @param connectTimeout   longest wait for a new connection
 * @param socketTimeout    longest wait for a reply
 * @param maxConnections   pool size (connections shared by all request threads)
 * @param borrowTimeout    longest wait for a free pooled connection; an exhausted pool counts as a failure
 * @param failureThreshold failures in a row that open the breaker
 * @param openDelay        how long the breaker stays open before one trial call
 * @param maxValueBytes    larger encoded results are not stored (they would crowd Redis and risk the socket timeout)
 */
public record RedisCacheConfig(URI url, Duration connectTimeout, Duration socketTimeout, int maxConnections,
                               Duration borrowTimeout, int failureThreshold, Duration openDelay, int maxValueBytes) {
    /** Default connect and reply timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    /**
     * Default breaker threshold: one blip (a reset connection, one slow reply) does not turn the cache off, and a dead
     * Redis is bypassed after five calls.
     */
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    /**
     * Default time open: while Redis is down one call in two seconds pays for a trial, and the cache is back within
     * two seconds of Redis.
     */
    public static final Duration DEFAULT_OPEN_DELAY = Duration.ofSeconds(2);

    public RedisCacheConfig {
        if (url == null || !JedisURIHelper.isValid(url)
                || !(JedisURIHelper.isRedisScheme(url) || JedisURIHelper.isRedisSSLScheme(url))) {
            throw new IllegalArgumentException("the Redis URL must look like redis://host:port[/db], got "
                    + (url == null ? null : Redaction.url(url.toString())));
        }
        positive(connectTimeout, "connect timeout");
        positive(socketTimeout, "socket timeout");
        positive(borrowTimeout, "pool wait");
        positive(openDelay, "breaker open delay");
        if (maxConnections < 1 || failureThreshold < 1 || maxValueBytes < 1) {
            throw new IllegalArgumentException("pool size, breaker threshold and max value size must be positive, got "
                    + maxConnections + ", " + failureThreshold + ", " + maxValueBytes);
        }
    }

    /** Defaults: 100 ms timeouts, 64 connections, 50 ms pool wait, open after 5 failures for 2 s, values up to 1 MiB. */
    public static RedisCacheConfig of(URI url) {
        return new RedisCacheConfig(url, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT, 64, Duration.ofMillis(50),
                DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_DELAY, 1 << 20);
    }

    /** Same settings with another connect and reply timeout. */
    public RedisCacheConfig withTimeout(Duration timeout) {
        return new RedisCacheConfig(url, timeout, timeout, maxConnections, borrowTimeout, failureThreshold, openDelay,
                maxValueBytes);
    }

    /** Same settings with another breaker. */
    public RedisCacheConfig withBreaker(int threshold, Duration delay) {
        return new RedisCacheConfig(url, connectTimeout, socketTimeout, maxConnections, borrowTimeout, threshold, delay,
                maxValueBytes);
    }

    /** host:port, for messages (never the password). */
    public String address() {
        return url.getHost() + ":" + url.getPort();
    }

    /** Without the URL's credentials. */
    @Override
    public String toString() {
        return "RedisCacheConfig[" + address() + ", timeouts " + connectTimeout.toMillis() + "/"
                + socketTimeout.toMillis() + " ms, " + maxConnections + " connections, breaker " + failureThreshold
                + " failures / " + openDelay.toMillis() + " ms]";
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
