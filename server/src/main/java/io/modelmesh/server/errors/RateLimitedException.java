package io.modelmesh.server.errors;

/** 429: the caller's token is over its rate limit; {@link #retryAfterSeconds()} says when to come back. */
public final class RateLimitedException extends ApiException implements RetryAfter {
    private final long retryAfterSeconds;

    public RateLimitedException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public int status() {
        return 429;
    }

    @Override
    public String code() {
        return "rate_limited";
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
