package io.modelmesh.dataplane.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import io.modelmesh.server.http.RequestIdSource;

/** Request ids: the caller's {@code X-Request-ID} when given (and sane), else 16 random hex digits. Always echoed. */
final class RequestIds {
    static final HeaderName HEADER = HeaderNames.create("X-Request-ID");

    private RequestIds() {
    }

    static String of(ServerRequest req, ServerResponse res) {
        String given = req.headers().contains(HEADER) ? req.headers().get(HEADER).get() : null;
        String id = given != null && sane(given) ? given : random();
        res.header(HEADER, id);
        return id;
    }

    /** The id given to this request (set on the response before it failed), else the caller's, else null. */
    static String current(ServerRequest req, ServerResponse res) {
        return res.headers().first(HEADER).orElseGet(() -> req.headers().first(HEADER).orElse(null));
    }

    private static boolean sane(String s) {
        if (s.isEmpty() || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static String random() {
        return RequestIdSource.next();
    }
}
