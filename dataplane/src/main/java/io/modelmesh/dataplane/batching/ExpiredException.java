package io.modelmesh.dataplane.batching;

/**
 * A queued request's deadline passed before its batch ran, so it was not run. The caller answers that the deadline
 * passed (HTTP 503 with {@code Retry-After}).
 */
public class ExpiredException extends RuntimeException {
    public ExpiredException(String message) {
        super(message);
    }

    /** Expiry is flow control, not a bug: no stack trace. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
