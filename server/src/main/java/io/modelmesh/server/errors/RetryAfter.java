package io.modelmesh.server.errors;

/**
 * A refusal that says when to come back: the error handlers send {@link #retryAfterSeconds()} as the
 * {@code Retry-After} header with the error body.
 */
public interface RetryAfter {
    /** Whole seconds for the {@code Retry-After} header (at least 1). */
    long retryAfterSeconds();
}
