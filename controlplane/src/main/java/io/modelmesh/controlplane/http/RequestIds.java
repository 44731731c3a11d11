package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/** The {@code X-Request-ID} header: echoed on responses and in error bodies. */
final class RequestIds {
    static final HeaderName HEADER = HeaderNames.create("X-Request-ID");
    private static final int MAX_LENGTH = 200;

    private RequestIds() {
    }

    /** The caller's request id (trimmed, at most 200 characters), or null. */
    static String of(ServerRequest req) {
        return req.headers().first(HEADER).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) : s).orElse(null);
    }
}
