package io.modelmesh.server.http;

/** A group of routes (one resource), registered with the access each route requires. */
@FunctionalInterface
public interface Endpoints {
    void routes(ScopedRoutes routes);
}
