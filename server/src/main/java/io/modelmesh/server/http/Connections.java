package io.modelmesh.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;

/**
 * An error answered before the request's body was read (no token, a body over the limit, the wrong content type)
 * closes the connection: otherwise the server would go on reading, or waiting for, a body nobody wants — a client that
 * announces 16 MiB and sends nothing would hold the connection until it idles out.
 */
public final class Connections {
    private Connections() {
    }

    /**
     * How often a server looks for connections idle past {@code idleTimeout} (the read timeout: a connection that
     * sends nothing, such as the rest of a body nobody reads after a 401, is closed then): a fifth of it, between
     * 100 ms and 5 s.
     */
    public static Duration idlePeriod(Duration idleTimeout) {
        return Duration.ofMillis(Math.max(100, Math.min(5_000, idleTimeout.toMillis() / 5)));
    }

    /** Adds {@code Connection: close} when the request's body has not been read to its end. */
    public static void closeIfBodyUnread(ServerRequest req, ServerResponse res) {
        if (req.content().hasEntity() && !req.content().consumed()) {
            res.header(HeaderNames.CONNECTION, "close");
        }
    }
}
