package io.modelmesh.server.errors;

/** 401: the endpoint needs credentials the request did not carry (the admin token); the message says where they are. */
public final class UnauthorizedException extends ApiException {
    public UnauthorizedException(String message) {
        super(message);
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String code() {
        return "unauthorized";
    }
}
