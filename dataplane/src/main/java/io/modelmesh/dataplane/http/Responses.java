package io.modelmesh.dataplane.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Small helpers to send JSON and text. */
final class Responses {
    private static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private Responses() {
    }

    static void json(ServerResponse res, Status status, byte[] body) {
        res.status(status);
        res.header(JSON);
        res.send(body);
    }

    static void json(ServerResponse res, byte[] body) {
        json(res, Status.OK_200, body);
    }
}
