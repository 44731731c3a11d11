package io.modelmesh.server.errors;

/** 429: the caller's token is over its rate limit; {@link #retryAfterSeconds()} says when to come back. */
public final class RateLimitedException extends ApiException {
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

    /** Whole seconds for the {@code Retry-After} header (at least 1). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
