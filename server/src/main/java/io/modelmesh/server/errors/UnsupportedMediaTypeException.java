package io.modelmesh.server.errors;

/** 415: the body's Content-Type is not the one the endpoint reads (JSON endpoints read only application/json). */
public final class UnsupportedMediaTypeException extends ApiException {
    public UnsupportedMediaTypeException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 415;
    }

    @Override
    public String code() {
        return "unsupported_media_type";
    }
}
