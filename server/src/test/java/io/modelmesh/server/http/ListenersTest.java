package io.modelmesh.server.http;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenersTest {
    @Test
    void aPortInUseFailsTheStartInsteadOfAServerOnPortMinusOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Listeners.start(
                    WebServer.builder().host("127.0.0.1").port(port).routing(r -> r.get("/", (req, res) -> res
                            .send("x"))), "node", "127.0.0.1", port));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + port), e.getMessage());
        }
    }

    @Test
    void aFreePortServes() {
        WebServer server = Listeners.start(WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.get("/", (req, res) -> res.send("x"))), "node", "127.0.0.1", 0);
        try {
            assertTrue(server.isRunning() && server.port() > 0);
        } finally {
            server.stop();
        }
    }
}
