package io.modelmesh.server.errors;

/**
 * 503: the server is shutting down; it finishes the requests it took and takes no new ones. Send the request to
 * another instance, or retry after {@link #retryAfterSeconds()}.
 */
public final class ShuttingDownException extends ApiException implements RetryAfter {
    private final long retryAfterSeconds;

    public ShuttingDownException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String code() {
        return "shutting_down";
    }

    @Override
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
