package io.modelmesh.server.errors;

/** 403: the request carried credentials, but not ones that allow it (a wrong admin token). */
public final class ForbiddenException extends ApiException {
    public ForbiddenException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String code() {
        return "forbidden";
    }
}
