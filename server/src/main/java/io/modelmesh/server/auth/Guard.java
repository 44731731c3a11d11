package io.modelmesh.server.auth;

import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.errors.ForbiddenException;
import io.modelmesh.server.errors.RateLimitedException;
import io.modelmesh.server.errors.UnauthorizedException;
import io.modelmesh.server.http.Access;

/**
 * A server's access check: establishes who sent a request and whether that caller may use a route. Each server has
 * one (the control plane's reads API tokens and node sessions; a node's reads prediction tokens and the control
 * plane's signature), and {@link io.modelmesh.server.http.ScopedRoutes} calls it before every handler.
 */
public interface Guard {
    /**
     * @return the caller, allowed to use a route that requires {@code access}
     * @throws UnauthorizedException 401: no credentials, unknown or expired ones
     * @throws ForbiddenException    403: valid credentials without the scope
     * @throws RateLimitedException  429: the caller's token is over its rate limit
     */
    Principal check(ServerRequest req, Access access);
}
