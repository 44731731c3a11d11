package io.modelmesh.api;

/**
 * A token's request rate limit: on average {@code perSecond} requests a second, with bursts of up to {@code burst}
 * requests at once. Over it, requests are answered 429 with {@code Retry-After}.
 */
public record RateLimit(double perSecond, int burst) {
    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate limit must be a positive number of requests per second, got "
                    + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1 request, got " + burst);
        }
    }
}
