package io.modelmesh.controlplane.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;

/**
 * Registers handlers and tags each request with the route pattern it matched, so metrics count by pattern
 * ({@code /models/{name}}), not by raw path.
 */
final class RouteRules {
    private final HttpRules rules;

    RouteRules(HttpRules rules) {
        this.rules = rules;
    }

    RouteRules get(String pattern, Handler handler) {
        rules.route(Method.GET, pattern, tagged(pattern, handler));
        return this;
    }

    RouteRules post(String pattern, Handler handler) {
        rules.route(Method.POST, pattern, tagged(pattern, handler));
        return this;
    }

    RouteRules delete(String pattern, Handler handler) {
        rules.route(Method.DELETE, pattern, tagged(pattern, handler));
        return this;
    }

    private static Handler tagged(String pattern, Handler handler) {
        return (req, res) -> {
            req.context().get(RouteTag.class).ifPresent(tag -> tag.route(pattern));
            handler.handle(req, res);
        };
    }

    /** The matched route pattern of the current request ("unmatched" until a handler claims it). */
    static final class RouteTag {
        private volatile String route = "unmatched";

        void route(String r) {
            this.route = r;
        }

        String route() {
            return route;
        }
    }
}
