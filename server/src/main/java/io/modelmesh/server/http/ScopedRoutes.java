package io.modelmesh.server.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.auth.Guard;
import io.modelmesh.server.auth.Principal;

import java.util.List;
import java.util.Objects;

/**
 * The only way routes are registered on either server: each with the {@link Access} it requires. Before the handler
 * runs, the server's {@link Guard} establishes the caller (401/403/429 otherwise) and the {@link Principal} is put in
 * the request's context ({@link #principal}); the route's pattern is tagged for metrics; and the route is added to
 * the server's catalog, which the route-walking tests call without and with the wrong credentials.
 */
public final class ScopedRoutes {
    private final HttpRules rules;
    private final Guard guard;
    private final List<RouteInfo> catalog;
    private final String prefix;

    /**
     * @param catalog every route registered through this instance is appended here
     * @param prefix  the path the rules are mounted under ({@code ""} at the root), for the catalog's patterns
     */
    public ScopedRoutes(HttpRules rules, Guard guard, List<RouteInfo> catalog, String prefix) {
        this.rules = Objects.requireNonNull(rules);
        this.guard = Objects.requireNonNull(guard);
        this.catalog = Objects.requireNonNull(catalog);
        this.prefix = prefix;
    }

    public ScopedRoutes(HttpRules rules, Guard guard, List<RouteInfo> catalog) {
        this(rules, guard, catalog, "");
    }

    public ScopedRoutes get(String pattern, Access access, Handler handler) {
        return route(Method.GET, pattern, access, handler);
    }

    public ScopedRoutes post(String pattern, Access access, Handler handler) {
        return route(Method.POST, pattern, access, handler);
    }

    public ScopedRoutes put(String pattern, Access access, Handler handler) {
        return route(Method.PUT, pattern, access, handler);
    }

    public ScopedRoutes delete(String pattern, Access access, Handler handler) {
        return route(Method.DELETE, pattern, access, handler);
    }

    public ScopedRoutes route(Method method, String pattern, Access access, Handler handler) {
        Objects.requireNonNull(access, "every route needs an Access");
        String full = prefix + pattern;
        catalog.add(new RouteInfo(method.text(), full, access));
        rules.route(method, pattern, guarded(full, access, handler));
        return this;
    }

    /**
     * One handler for every POST under {@code mount} ({@code /predict}: any path starting {@code /predict/}), parsed by
     * the handler itself, listed in the catalog as {@code mount} followed by each of {@code describedAs}; call it on
     * the root's routes ({@code prefix ""}). A prefix on the root costs a request one {@code startsWith}: a path
     * template costs a regular expression per request on the hottest route, and rules registered under a mount point
     * (a service) cost the routing a relative path, parameter maps and a second crawl on every request.
     */
    public ScopedRoutes postUnder(String mount, List<String> describedAs, Access access, Handler handler) {
        Objects.requireNonNull(access, "every route needs an Access");
        for (String d : describedAs) {
            catalog.add(new RouteInfo(Method.POST.text(), prefix + mount + d, access));
        }
        rules.route(Method.POST, mount + "/*", guarded(prefix + mount + describedAs.getFirst(), access, handler));
        return this;
    }

    private Handler guarded(String pattern, Access access, Handler handler) {
        return (req, res) -> {
            req.context().get(RouteTag.class).ifPresent(tag -> tag.route(pattern));
            Principal who = guard.check(req, access);
            req.context().register(who);
            handler.handle(req, res);
        };
    }

    /** The caller of a request that passed a guarded route (anonymous where none was established). */
    public static Principal principal(ServerRequest req) {
        return req.context().get(Principal.class).orElseGet(() -> Principal.anonymous(java.util.Set.of()));
    }
}
