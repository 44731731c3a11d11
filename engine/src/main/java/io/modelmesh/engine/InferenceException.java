package io.modelmesh.engine;

/** The runtime failed on input it accepted (maps to HTTP 500; the node keeps serving). */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
