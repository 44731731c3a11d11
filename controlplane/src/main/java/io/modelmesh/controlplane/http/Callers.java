package io.modelmesh.controlplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.http.ScopedRoutes;

/**
 * Who sent a request: the name of the token that authenticated it (the author recorded on what it changes). Never a
 * header the client chose.
 */
final class Callers {
    private Callers() {
    }

    static String user(ServerRequest req) {
        return ScopedRoutes.principal(req).name();
    }
}
