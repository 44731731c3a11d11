package io.modelmesh.dataplane.cache;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The cache all nodes share: results encoded by {@link BatchResultCodec} under {@code mm:pred:1:<32-byte key>}, stored
 * with {@code SET ... EX ttl} so Redis itself expires them. Jedis' pooled {@link RedisClient} (the successor of
 * {@code JedisPooled} in Jedis 8) is thread-safe; the connections are shared by all request threads.
 *
 * <p>Redis is kept off the critical path: short timeouts ({@link RedisCacheConfig}) bound what one call can cost, and a
 * {@link CircuitBreaker} stops calling a Redis that keeps failing, so an outage turns into misses (the node computes
 * every prediction itself) without a timeout per request. When the breaker opens, idle pooled connections are dropped,
 * so the trial after it talks to Redis on a fresh connection rather than on a socket the outage left dead.
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

    private final RedisCacheConfig config;
    private final CacheEvents events;
    private final CircuitBreaker breaker;
    private final RedisClient client;
    private final AtomicBoolean warnedUnencodable = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile boolean closed;

    /** Connects lazily: a Redis that is down at start is a miss, not a failed start. */
    public RedisCache(RedisCacheConfig config, CacheEvents events) {
        this(config, events, System::nanoTime);
    }

    /** @param nanoClock the breaker's clock (tests turn it by hand) */
    public RedisCache(RedisCacheConfig config, CacheEvents events, LongSupplier nanoClock) {
        this.config = config;
        this.events = events;
        this.breaker = new CircuitBreaker(config.failureThreshold(), config.openDelay(), nanoClock);
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
        if (closed || !breaker.tryAcquire()) {
            events.event(KIND, CacheEvents.BYPASS);
            return null;
        }
        byte[] value;
        try {
            value = client.get(redisKey(key));
        } catch (JedisException e) {
            failed("GET", e);
            return null;
        }
        succeeded();
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
        if (closed || !breaker.tryAcquire()) {
            events.event(KIND, CacheEvents.BYPASS);
            return;
        }
        try {
            client.set(redisKey(key), bytes, SetParams.setParams().ex(ttlSeconds));
        } catch (JedisException e) {
            failed("SET", e);
            return;
        }
        succeeded();
        events.event(KIND, CacheEvents.STORE);
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
    }

    /** The Redis key a prediction is stored under. */
    static byte[] redisKey(CacheKey key) {
        byte[] k = new byte[KEY_PREFIX.length + CacheKey.LENGTH];
        System.arraycopy(KEY_PREFIX, 0, k, 0, KEY_PREFIX.length);
        System.arraycopy(key.rawBytes(), 0, k, KEY_PREFIX.length, CacheKey.LENGTH);
        return k;
    }

    private void succeeded() {
        if (breaker.onSuccess()) {
            down.set(false);
            LOG.log(Level.INFO, "prediction cache: Redis at " + config.address() + " answers again; cache back on");
        }
    }

    private void failed(String command, JedisException e) {
        events.event(KIND, CacheEvents.ERROR);
        if (breaker.onFailure()) {
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
