package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** Who sent a request: the {@code X-User} header, "anonymous" without one (the existing convention). */
final class Callers {
    private Callers() {
    }

    static String user(ServerRequest req) {
        return req.headers().first(HeaderNames.create("X-User")).filter(s -> !s.isBlank()).orElse("anonymous");
    }
}
