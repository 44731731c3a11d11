package io.modelmesh.dataplane;

/** Unknown model or version on this node (HTTP 404). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
