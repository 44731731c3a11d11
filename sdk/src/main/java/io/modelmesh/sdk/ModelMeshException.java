package io.modelmesh.sdk;

import io.modelmesh.api.ErrorBody;

/**
 * A request the platform refused or could not serve. Subclasses name the cases callers handle differently; {@link #error()}
 * is the server's error body (or one made up for transport failures).
 */
public class ModelMeshException extends RuntimeException {
    private final ErrorBody error;
    private volatile String traceId;

    public ModelMeshException(ErrorBody error) {
        super(error.message());
        this.error = error;
    }

    public ModelMeshException(ErrorBody error, Throwable cause) {
        super(error.message(), cause);
        this.error = error;
    }

    public ErrorBody error() {
        return error;
    }

    /** The trace id the failed request was sent with (the servers' log lines carry it), or null. */
    public String traceId() {
        return traceId;
    }

    void traceId(io.modelmesh.api.trace.TraceParent sent) {
        this.traceId = sent == null ? null : sent.traceId();
    }

    public int status() {
        return error.status();
    }

    /** The server's precise problems (e.g. each invalid manifest field with file, line and column); empty when none. */
    public java.util.List<io.modelmesh.api.ErrorDetail> details() {
        return error.details() == null ? java.util.List.of() : error.details();
    }

    /** Maps an error body to the typed exception for its status. */
    static ModelMeshException of(ErrorBody body) {
        return of(body, java.util.OptionalLong.empty());
    }

    /** The same, with the answer's {@code Retry-After} (whole seconds), if any. */
    static ModelMeshException of(ErrorBody body, java.util.OptionalLong retryAfterSeconds) {
        return switch (body.status()) {
            case 400, 422 -> new InvalidRequestException(body);
            case 401, 403 -> new UnauthorizedException(body);
            case 404 -> new NotFoundException(body);
            case 409 -> new ConflictException(body);
            case 413 -> new PayloadTooLargeException(body);
            case 429, 502, 503, 504, 507 -> new UnavailableException(body, retryAfterSeconds);
            default -> new ModelMeshException(body);
        };
    }

    /** 400 or 422: the request (or the uploaded artifact) is wrong; the message says what to fix. */
    public static final class InvalidRequestException extends ModelMeshException {
        public InvalidRequestException(ErrorBody error) {
            super(error);
        }
    }

    /** 401 or 403. */
    public static final class UnauthorizedException extends ModelMeshException {
        public UnauthorizedException(ErrorBody error) {
            super(error);
        }
    }

    /** 404: unknown model, version, artifact or node. */
    public static final class NotFoundException extends ModelMeshException {
        public NotFoundException(ErrorBody error) {
            super(error);
        }
    }

    /** 409: e.g. the same name and version registered with other bytes. */
    public static final class ConflictException extends ModelMeshException {
        public ConflictException(ErrorBody error) {
            super(error);
        }
    }

    /** 413: the upload is over the server's limit. */
    public static final class PayloadTooLargeException extends ModelMeshException {
        public PayloadTooLargeException(ErrorBody error) {
            super(error);
        }
    }

    /**
     * The server is unreachable, overloaded, shutting down, not ready or out of storage (connection refused, 429,
     * 502-504, 507). The client has already retried what could be retried ({@link RetryPolicy}).
     */
    public static final class UnavailableException extends ModelMeshException {
        private final java.util.OptionalLong retryAfterSeconds;

        public UnavailableException(ErrorBody error) {
            this(error, java.util.OptionalLong.empty());
        }

        public UnavailableException(ErrorBody error, java.util.OptionalLong retryAfterSeconds) {
            super(error);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public UnavailableException(ErrorBody error, Throwable cause) {
            super(error, cause);
            this.retryAfterSeconds = java.util.OptionalLong.empty();
        }

        /** When the server said to come back ({@code Retry-After}, whole seconds), if it did. */
        public java.util.OptionalLong retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
