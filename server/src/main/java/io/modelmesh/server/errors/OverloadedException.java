package io.modelmesh.server.errors;

/**
 * 429: the server refuses the request at once because it cannot take more of this kind of work now (a model version's
 * queue is full, or the requests ahead would outlast this one's deadline); nothing was run. Retrying after
 * {@link #retryAfterSeconds()}, or on another node, may succeed.
 */
public final class OverloadedException extends ApiException implements RetryAfter {
    private final long retryAfterSeconds;

    public OverloadedException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public int status() {
        return 429;
    }

    @Override
    public String code() {
        return "overloaded";
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** Shedding load is flow control, not a bug: no stack trace, so refusing stays cheap when it matters most. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
