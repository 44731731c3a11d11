package io.modelmesh.server.errors;

/** 409: the request contradicts stored state (e.g. an existing version with other bytes). */
public final class ConflictException extends ApiException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String code() {
        return "conflict";
    }
}
