package io.modelmesh.dataplane;

/** The node cannot serve the request now (HTTP 503), e.g. a version still loading. */
public class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
        super(message);
    }
}
