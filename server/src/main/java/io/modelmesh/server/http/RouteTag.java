package io.modelmesh.server.http;

import io.helidon.webserver.http.ServerRequest;

/**
 * The route pattern a request matched ({@code /models/{name}}, not the raw path), set by {@link ScopedRoutes} so
 * metrics count by pattern with bounded cardinality. A filter registers one per request; "unmatched" until a route
 * claims the request.
 */
public final class RouteTag {
    private volatile String route = "unmatched";

    /** Registers a fresh tag in the request's context and returns it. */
    public static RouteTag attach(ServerRequest req) {
        RouteTag tag = new RouteTag();
        req.context().register(tag);
        return tag;
    }

    /** Claims the request for a pattern; a handler that parses its own path (see ScopedRoutes#postAll) refines it. */
    public void route(String r) {
        this.route = r;
    }

    /** The pattern of the request's route, where a handler has one. */
    public static void claim(ServerRequest req, String pattern) {
        req.context().get(RouteTag.class).ifPresent(tag -> tag.route(pattern));
    }

    public String route() {
        return route;
    }
}
