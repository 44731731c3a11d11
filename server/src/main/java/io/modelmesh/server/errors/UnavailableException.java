package io.modelmesh.server.errors;

/** 503: a dependency (the database) cannot be reached right now; retrying later may succeed. */
public final class UnavailableException extends ApiException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String code() {
        return "unavailable";
    }
}
