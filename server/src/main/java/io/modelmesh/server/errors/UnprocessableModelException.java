package io.modelmesh.server.errors;

/** 422: the artifact is not a model this build can serve (corrupt, unknown framework, no engine). */
public final class UnprocessableModelException extends ApiException {
    public UnprocessableModelException(String message) {
        super(message);
    }

    public UnprocessableModelException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int status() {
        return 422;
    }

    @Override
    public String code() {
        return "invalid_model";
    }
}
