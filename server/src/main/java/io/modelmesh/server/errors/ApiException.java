package io.modelmesh.server.errors;

/**
 * A failure the caller can act on. Each subclass fixes one HTTP status and one stable error code; the message says what
 * to fix. Each server maps them to the one {@code ErrorBody} shape in one place (its error handlers).
 */
public abstract sealed class ApiException extends RuntimeException
        permits InvalidInputException, NotFoundException, ConflictException, PayloadTooLargeException,
        UnprocessableModelException, UnavailableException,
        UnauthorizedException, ForbiddenException, InvalidManifestException, RateLimitedException,
        UnsupportedMediaTypeException, InsufficientStorageException, OverloadedException, DeadlineExceededException,
        ShuttingDownException {

    protected ApiException(String message) {
        super(message);
    }

    protected ApiException(String message, Throwable cause) {
        super(message, cause);
    }

    /** HTTP status code. */
    public abstract int status();

    /** Stable machine-readable code, e.g. {@code invalid_input}. */
    public abstract String code();

    /** Precise problems (each manifest field that failed validation), or null. */
    public java.util.List<io.modelmesh.api.ErrorDetail> details() {
        return null;
    }
}
