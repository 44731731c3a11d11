package io.modelmesh.server.errors;

/** 413: the upload passed the configured size limit. */
public final class PayloadTooLargeException extends ApiException {
    public PayloadTooLargeException(String message) {
        super(message);
    }

    public PayloadTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 413;
    }

    @Override
    public String code() {
        return "payload_too_large";
    }
}
