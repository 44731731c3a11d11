package io.modelmesh.dataplane.cache;

import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.modelmesh.engine.BatchResult;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The cache all nodes share: results encoded by {@link BatchResultCodec} under {@code mm:pred:1:<32-byte key>}, stored
 * with {@code SET ... EX ttl} so Redis itself expires them. Jedis' pooled {@link RedisClient} (the successor of
 * {@code JedisPooled} in Jedis 8) is thread-safe; the connections are shared by all request threads.
 *
 * <p>Redis is kept off the critical path: short timeouts ({@link RedisCacheConfig}) bound what one call can cost, and
 * helidon-fault-tolerance's {@link CircuitBreaker} stops calling a Redis that keeps failing, so an outage turns into
 * misses (the node computes every prediction itself) without a timeout per request. The breaker opens when the last
 * {@code failureThreshold} calls all failed, stays open for the open delay (its own timer, on a virtual thread),
 * then lets one trial call through: success closes it, failure opens it again. An open breaker is read, not called
 * ({@link CircuitBreaker#state()}), because calling it throws an exception per call (0.6 µs, docs/performance.md).
 * When the breaker opens, idle pooled connections are dropped, so the trial after it talks to Redis on a fresh
 * connection rather than on a socket the outage left dead.
 *
 * <p>Only {@link JedisException}s are handled: Jedis wraps every network, pool and server error in one. Anything else
 * would be a bug here, and is left to surface.
 */
public final class RedisCache implements PredictionCache {
    static final String KIND = "redis";
    private static final System.Logger LOG = System.getLogger(RedisCache.class.getName());
    /** The codec version is part of the key: nodes on different formats do not read each other's values. */
    private static final byte[] KEY_PREFIX = ("mm:pred:" + BatchResultCodec.VERSION + ":")
            .getBytes(StandardCharsets.US_ASCII);
    /** Thrown (shared, no stack) when the breaker is read as open: the call is bypassed without calling it. */
    private static final Bypass BYPASSED = new Bypass();

    private final RedisCacheConfig config;
    private final CacheEvents events;
    private final CircuitBreaker breaker;
    private final ExecutorService breakerTimer = Executors.newVirtualThreadPerTaskExecutor();
    private final RedisClient client;
    private final AtomicBoolean warnedUnencodable = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile boolean closed;

    /** Connects lazily: a Redis that is down at start is a miss, not a failed start. */
    public RedisCache(RedisCacheConfig config, CacheEvents events) {
        this.config = config;
        this.events = events;
        this.breaker = CircuitBreaker.builder()
                .name("redis-cache " + config.address())
                .volume(config.failureThreshold()) // a window of the last N calls ...
                .errorRatio(100)                   // ... all failed: N failures in a row
                .successThreshold(1)
                .delay(config.openDelay())
                .applyOn(Set.of(JedisException.class)) // anything else is a bug here, not Redis failing
                .executor(breakerTimer)
                .build();
        this.client = RedisClient.builder()
                .clientConfig(DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(millis(config.connectTimeout()))
                        .socketTimeoutMillis(millis(config.socketTimeout()))
                        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED) // one round trip less per connection
                        .build())
                .fromURI(config.url()) // credentials, database, TLS; keeps the timeouts above
                .poolConfig(poolConfig(config))
                .build();
    }

    @Override
    public BatchResult get(CacheKey key) {
        byte[] value;
        try {
            value = call(() -> client.get(redisKey(key)));
        } catch (Bypass | CircuitBreakerOpenException e) {
            events.event(KIND, CacheEvents.BYPASS);
            return null;
        } catch (JedisException e) {
            failed("GET", e);
            return null;
        }
        if (value == null) {
            events.event(KIND, CacheEvents.MISS);
            return null;
        }
        try {
            BatchResult result = BatchResultCodec.decode(value);
            events.event(KIND, CacheEvents.HIT);
            return result;
        } catch (IllegalArgumentException e) {
            // Redis is fine; the value is not ours to read (another format, or corrupt): a miss, the put will replace it
            events.event(KIND, CacheEvents.ERROR);
            LOG.log(Level.DEBUG, () -> "unreadable cached prediction " + key.hex() + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public void put(CacheKey key, BatchResult value, int ttlSeconds) {
        if (ttlSeconds <= 0) {
            return;
        }
        byte[] bytes;
        try {
            bytes = BatchResultCodec.encode(value); // before the breaker: a trial must not be spent on nothing
        } catch (IllegalArgumentException e) {
            // an output the codec cannot write (outside OutputTensor's contract): the prediction stands, uncached
            events.event(KIND, CacheEvents.ERROR);
            if (warnedUnencodable.compareAndSet(false, true)) {
                LOG.log(Level.WARNING, "prediction cache: not caching results like this one: " + e.getMessage());
            }
            return;
        }
        if (bytes.length > config.maxValueBytes()) {
            events.event(KIND, CacheEvents.SKIP);
            return;
        }
        try {
            call(() -> client.set(redisKey(key), bytes, SetParams.setParams().ex(ttlSeconds)));
        } catch (Bypass | CircuitBreakerOpenException e) {
            events.event(KIND, CacheEvents.BYPASS);
            return;
        } catch (JedisException e) {
            failed("SET", e);
            return;
        }
        events.event(KIND, CacheEvents.STORE);
    }

    /**
     * One Redis command through the breaker.
     *
     * @throws Bypass                      when the cache is closed or the breaker open
     * @throws CircuitBreakerOpenException when the breaker turns the call away (another call is the half-open trial)
     * @throws JedisException              when Redis failed (counted by the breaker)
     */
    private <T> T call(Supplier<T> command) {
        if (closed || breaker.state() == CircuitBreaker.State.OPEN) {
            throw BYPASSED; // open: read, not called (calling throws a new exception, with its stack, every time)
        }
        CircuitBreaker.State before = breaker.state();
        T result = breaker.invoke(command);
        if (before == CircuitBreaker.State.HALF_OPEN && breaker.state() == CircuitBreaker.State.CLOSED
                && down.compareAndSet(true, false)) {
            LOG.log(Level.INFO, "prediction cache: Redis at " + config.address() + " answers again; cache back on");
        }
        return result;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The breaker's state, for tests and a metrics gauge. */
    public CircuitBreaker.State breakerState() {
        return breaker.state();
    }

    @Override
    public void close() {
        closed = true;
        client.close();
        breakerTimer.shutdown(); // a pending half-open timer ends by itself
    }

    /** The call did not go to Redis: the cache is closed or the breaker open. */
    private static final class Bypass extends RuntimeException {
        Bypass() {
            super("bypassed", null, false, false);
        }
    }

    /** The Redis key a prediction is stored under. */
    static byte[] redisKey(CacheKey key) {
        byte[] k = new byte[KEY_PREFIX.length + CacheKey.LENGTH];
        System.arraycopy(KEY_PREFIX, 0, k, 0, KEY_PREFIX.length);
        System.arraycopy(key.rawBytes(), 0, k, KEY_PREFIX.length, CacheKey.LENGTH);
        return k;
    }

    private void failed(String command, JedisException e) {
        events.event(KIND, CacheEvents.ERROR);
        if (breaker.state() == CircuitBreaker.State.OPEN) {
            // one warning per outage, not one per failed trial
            Level level = down.compareAndSet(false, true) ? Level.WARNING : Level.DEBUG;
            LOG.log(level, "prediction cache: Redis at " + config.address() + " failing (" + command + ": "
                    + e.getMessage() + "); predictions bypass the cache, next try in "
                    + config.openDelay().toMillis() + " ms");
            dropIdleConnections();
        } else {
            LOG.log(Level.DEBUG, () -> "prediction cache: Redis " + command + " failed: " + e.getMessage());
        }
    }

    private void dropIdleConnections() {
        try {
            client.getPool().clear();
        } catch (RuntimeException e) { // clearing is best effort; closing a dead socket may complain
            LOG.log(Level.DEBUG, () -> "prediction cache: dropping idle Redis connections: " + e.getMessage());
        }
    }

    private static ConnectionPoolConfig poolConfig(RedisCacheConfig config) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(config.maxConnections());
        pool.setMaxIdle(config.maxConnections());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(config.borrowTimeout());
        pool.setJmxEnabled(false);
        return pool;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
