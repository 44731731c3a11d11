package io.modelmesh.server.errors;

/**
 * 503: the request's deadline (its serving policy's timeout, or a shorter {@code X-Request-Timeout}) passed before it
 * could be answered; it no longer waits or runs. Retrying after {@link #retryAfterSeconds()} may succeed.
 */
public final class DeadlineExceededException extends ApiException implements RetryAfter {
    private final long retryAfterSeconds;

    public DeadlineExceededException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String code() {
        return "deadline_exceeded";
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Like overload, a passed deadline is flow control: no stack trace. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
