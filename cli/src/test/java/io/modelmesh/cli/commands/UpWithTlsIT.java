package io.modelmesh.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.Json;
import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mmctl up --tls-cert --tls-key --tls-ca}: a local stack (child processes, embedded PostgreSQL) on https end
 * to end: the node joins over https, the demo registers and predicts, mmctl talks to it with the CA; the three flags go
 * together.
 */
class UpWithTlsIT {
    private static final Path TLS = Path.of("..", "fixtures", "tls").toAbsolutePath().normalize();

    @TempDir
    Path home;

    @Test
    void aLocalStackOnHttps() throws Exception {
        int[] ports = LoopbackPorts.distinct(2);
        String cpUrl = "https://127.0.0.1:" + ports[0];
        try {
            Result up = Cli.run(ClientFactory.standard(), Map.of(), "up", "--home", home.toString(), "--port",
                    Integer.toString(ports[0]), "--node-port", Integer.toString(ports[1]), "--demo", "--detach",
                    "--timeout", "180", "-o", "json", "--tls-cert", TLS.resolve("server.pem").toString(), "--tls-key",
                    TLS.resolve("server.key").toString(), "--tls-ca", TLS.resolve("ca.pem").toString());
            assertEquals(0, up.code(), up.toString());
            JsonNode result = Json.mapper().readTree(up.out());
            assertEquals(cpUrl, result.at("/control_plane/url").asText(), up.out());
            assertEquals("https://127.0.0.1:" + ports[1], result.at("/nodes/0/url").asText(), up.out());
            assertEquals("iris", result.at("/demo/model").asText(), up.out());
            assertTrue(up.err().contains("MM_TLS_CA=" + TLS.resolve("ca.pem")), up.err());

            Map<String, String> stack = Map.of("MM_HOME", home.toString()); // mmctl finds its admin token there
            Result predict = Cli.run(ClientFactory.standard(), stack, "predict", "iris", "--input",
                    "[5.1, 3.5, 1.4, 0.2]", "-o", "json", "--control-plane", cpUrl, "--tls-ca",
                    TLS.resolve("ca.pem").toString());
            assertEquals(0, predict.code(), predict.toString());
            Result status = Cli.run(ClientFactory.standard(), stack, "status", "-o", "json", "--control-plane", cpUrl,
                    "--tls-ca", TLS.resolve("ca.pem").toString());
            assertEquals(0, status.code(), status.toString());
            assertTrue(Json.mapper().readTree(status.out()).at("/nodes/0/url").asText().startsWith("https://"),
                    status.out());
            assertTrue(Files.readString(home.resolve("logs").resolve("control-plane.log"))
                    .contains("control plane serving on https://"));
        } finally {
            Result down = Cli.run("down", "--home", home.toString());
            assertEquals(0, down.code(), down.toString());
        }
    }

    @Test
    void theTlsFlagsGoTogether() {
        Result r = Cli.run(ClientFactory.standard(), Map.of(), "up", "--home", home.toString(), "--tls-cert",
                TLS.resolve("server.pem").toString(), "--tls-key", TLS.resolve("server.key").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("--tls-cert, --tls-key and --tls-ca go together"), r.err());
    }
}
