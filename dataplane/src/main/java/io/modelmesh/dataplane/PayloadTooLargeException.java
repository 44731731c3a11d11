package io.modelmesh.dataplane;

/** A request body over the node's limit (HTTP 413). */
public class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
