package io.modelmesh.dataplane.cache;

/**
 * Where a cache reports the outcome of every call, for the {@code cache_events{backend,result}} counter. Called on the
 * request thread, so implementations must be cheap and must not block (a lock-free counter increment).
 */
@FunctionalInterface
public interface CacheEvents {
    /** A get found a value. */
    String HIT = "hit";
    /** A get found nothing (or the backend answered with nothing usable). */
    String MISS = "miss";
    /** A put stored a value. */
    String STORE = "store";
    /** A put did not store because the value is larger than the cache takes. */
    String SKIP = "skip";
    /** The backend failed (timeout, refused connection, unreadable value): the caller saw a miss or a skipped put. */
    String ERROR = "error";
    /** The circuit breaker is open: the call did not touch the backend at all. */
    String BYPASS = "bypass";

    /** Ignores everything. */
    CacheEvents NONE = (backend, result) -> {
    };

    /**
     * @param backend {@link PredictionCache#kind()}: "memory" or "redis"
     * @param result  one of the constants above
     */
    void event(String backend, String result);
}
