package io.modelmesh.server.http;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

/** Starting a server that really listens. */
public final class Listeners {
    private Listeners() {
    }

    /**
     * Builds and starts the server, and fails when it is not listening afterwards. Helidon's {@code start()} logs a
     * bind failure (a port in use) and returns a server that is not running on port -1 instead of throwing: without
     * this check a control plane or node would report itself ready while nobody can reach it.
     *
     * @param what names the server in the error, e.g. "control plane"
     * @throws IllegalStateException when the server is not running after start
     */
    public static WebServer start(WebServerConfig.Builder builder, String what, String host, int port) {
        WebServer server = builder.build().start();
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            throw new IllegalStateException("the " + what + " cannot listen on " + host + ":" + port
                    + " (is another process using that port? pick another with --port); Helidon's log above says why");
        }
        return server;
    }
}
