package io.modelmesh.engine;

/** The artifact is not a model the engine can serve; the message says why (maps to HTTP 422). */
public class InvalidModelException extends Exception {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
