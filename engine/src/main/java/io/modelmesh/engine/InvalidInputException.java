package io.modelmesh.engine;

/** A request's input does not fit the model; the message says what to fix (maps to HTTP 400). */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
