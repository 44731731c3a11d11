package io.modelmesh.cli;

import io.modelmesh.cli.Cli.Result;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.server.tls.TlsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mmctl against an https control plane: --tls-ca (or MM_TLS_CA) makes it trusted; without it mmctl says what to do. */
class TlsCliTest {
    private static final Path TLS = Path.of("..", "fixtures", "tls").toAbsolutePath().normalize();
    private static final String CA = TLS.resolve("ca.pem").toString();

    @TempDir
    static Path home;
    static ControlPlane cp;

    @BeforeAll
    static void start() {
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home)
                .withTls(new TlsSettings(TLS.resolve("server.pem"), TLS.resolve("server.key"), null)));
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    private static Result mmctl(Map<String, String> env, String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--control-plane", cp.uri().toString())).toArray(String[]::new);
        return Cli.run(ClientFactory.standard(), env, all);
    }

    @Test
    void theCaFromTheFlagOrTheEnvironmentIsTrusted() {
        Result flag = mmctl(Map.of("MM_HOME", home.toString()), "list", "-o", "json", "--tls-ca", CA);
        assertEquals(0, flag.code(), flag.toString());
        assertTrue(flag.out().contains("\"items\""), flag.out());
    }

    @Test
    void withoutTheCaTheHandshakeFailsWithAHint() {
        Result r = mmctl(Map.of(), "list");
        assertEquals(ExitCodes.UNAVAILABLE, r.code(), r.toString());
        assertTrue(r.err().contains("TLS with " + cp.uri()), r.err());
        assertTrue(r.err().contains("--tls-ca"), r.err());
    }

    @Test
    void badCaFilesAreInvalidInput() {
        Result missing = mmctl(Map.of(), "list", "--tls-ca", TLS.resolve("nope.pem").toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.code(), missing.toString());
        assertTrue(missing.err().contains("no such readable file"), missing.err());
        Result notCa = mmctl(Map.of(), "list", "--tls-ca", TLS.resolve("server.key").toString());
        assertEquals(ExitCodes.INVALID_INPUT, notCa.code(), notCa.toString());
        assertTrue(notCa.err().contains("holds no PEM certificate"), notCa.err());
    }
}
