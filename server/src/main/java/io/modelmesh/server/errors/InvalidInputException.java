package io.modelmesh.server.errors;

/** 400: a field, parameter or body is malformed or out of range. */
public final class InvalidInputException extends ApiException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String code() {
        return "invalid_input";
    }
}
