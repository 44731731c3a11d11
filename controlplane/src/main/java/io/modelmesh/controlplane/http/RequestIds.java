package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.http.RequestIdSource;

/** The {@code X-Request-ID} header: the caller's or a new one, echoed on responses and in error bodies and logs. */
final class RequestIds {
    static final HeaderName HEADER = HeaderNames.create("X-Request-ID");
    private static final int MAX_LENGTH = 200;

    private RequestIds() {
    }

    /** The id given to the request by {@link #assign}, in its context. */
    private record Assigned(String id) {
    }

    /** Gives the request its id (the caller's, else a new one) for the filter to echo and errors to quote. */
    static String assign(ServerRequest req) {
        String given = caller(req);
        String id = given != null ? given : RequestIdSource.next();
        req.context().register(new Assigned(id));
        return id;
    }

    /** The request's assigned id, else the caller's (trimmed, at most 200 characters), else null. */
    static String of(ServerRequest req) {
        return req.context().get(Assigned.class).map(Assigned::id).orElseGet(() -> caller(req));
    }

    private static String caller(ServerRequest req) {
        return req.headers().first(HEADER).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.length() > MAX_LENGTH ? s.substring(0, MAX_LENGTH) : s).orElse(null);
    }
}
