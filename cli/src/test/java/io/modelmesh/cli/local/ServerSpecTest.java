package io.modelmesh.cli.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child command lines 'mmctl up' starts. Pure. */
class ServerSpecTest {
    private static final Path HOME = Path.of("/h");
    private static final Path ARGS = Path.of("/h/run/classpath.args");

    @Test
    void controlPlaneCommand() {
        ServerSpec cp = ServerSpec.controlPlane(8080, HOME, null);
        assertEquals(List.of("/jdk/bin/java", "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "@/h/run/classpath.args",
                "io.modelmesh.controlplane.Main", "--port", "8080", "--home", "/h"), cp.command("/jdk/bin/java",
                ARGS, null));
        assertEquals("control-plane", cp.name());
        assertEquals(URI.create("http://127.0.0.1:8080/health"), cp.health());
    }

    @Test
    void anExternalDatabaseUrlGoesInTheEnvironmentNeverOnTheCommandLine() {
        ServerSpec cp = ServerSpec.controlPlane(9090, HOME, "postgresql://mm:hunter2@db/mm");
        List<String> cmd = cp.command("java", ARGS, "/usr/bin/setsid");
        assertEquals("/usr/bin/setsid", cmd.get(0));
        assertEquals(List.of("--port", "9090", "--home", "/h"), cmd.subList(cmd.size() - 4, cmd.size()));
        assertTrue(cmd.stream().noneMatch(a -> a.contains("hunter2")), cmd.toString());
        assertEquals(Map.of("MM_DATABASE_URL", "postgresql://mm:hunter2@db/mm"), cp.env());
        assertFalse(cp.toString().contains("hunter2"), cp.toString());
        assertEquals(Map.of(), ServerSpec.controlPlane(8080, HOME, null).env());
    }

    @Test
    void furtherControlPlanesKeepTheirOwnHomeShareTheArtifactsAndGetTheDatabaseByEnvironment() {
        ServerSpec two = ServerSpec.controlPlane(2, 8081, HOME, "postgresql://postgres:s3cret@127.0.0.1:5999/postgres",
                LocalTls.NONE);
        assertEquals("control-plane-2", two.name());
        assertEquals(List.of("io.modelmesh.controlplane.Main", "--port", "8081", "--home", "/h/control-plane-2",
                "--artifact-dir", "/h/artifacts"), two.command("java", ARGS, null).subList(4, 11));
        assertEquals(Map.of("MM_DATABASE_URL", "postgresql://postgres:s3cret@127.0.0.1:5999/postgres"), two.env());
        assertTrue(two.isControlPlane());
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.controlPlane(2, 8081, HOME, null, LocalTls.NONE));
        assertThrows(IllegalArgumentException.class, () -> ServerSpec.controlPlane(0, 8081, HOME, null, LocalTls.NONE));
        assertEquals(ServerSpec.controlPlane(8080, HOME, null), ServerSpec.controlPlane(1, 8080, HOME, null,
                LocalTls.NONE));
    }

    @Test
    void aNodeOfSeveralControlPlanesGetsThemAllInOrder() {
        ServerSpec n = ServerSpec.node(8001, List.of(URI.create("http://127.0.0.1:8080"),
                URI.create("http://127.0.0.1:8081")), HOME, LocalTls.NONE);
        assertEquals(List.of("--control-plane", "http://127.0.0.1:8080,http://127.0.0.1:8081"),
                n.command("java", ARGS, null).subList(8, 10));
    }

    @Test
    void classpathGoesThroughAQuotedArgFile() {
        assertEquals("-cp \"/a b/x.jar:/c\\\\d.jar:/e\\\"f.jar\"\n",
                ServerSpec.classpathArgFile("/a b/x.jar:/c\\d.jar:/e\"f.jar"));
    }

    @Test
    void nodeCommand() {
        ServerSpec n = ServerSpec.node(8001, URI.create("http://127.0.0.1:8080"), HOME);
        assertEquals("node-8001", n.name());
        assertEquals(List.of("java", "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-Xms256m",
                "@/h/run/classpath.args", "io.modelmesh.dataplane.Main", "--port", "8001",
                "--control-plane", "http://127.0.0.1:8080",
                "--home", "/h", "--node-id", "node-8001"), n.command("java", ARGS, null),
                "a node keeps a heap floor (a control plane does not: controlPlaneCommand)");
        assertEquals(URI.create("http://127.0.0.1:8001"), n.url());
    }

    @Test
    void withTlsEveryServerGetsTheFilesAndAnHttpsUrl() {
        LocalTls tls = new LocalTls(Path.of("/t/server.pem"), Path.of("/t/server.key"), Path.of("/t/ca.pem"));
        ServerSpec cp = ServerSpec.controlPlane(8443, HOME, null, tls);
        assertEquals(URI.create("https://127.0.0.1:8443/health"), cp.health());
        ServerSpec n = ServerSpec.node(8001, cp.url(), HOME, tls);
        assertEquals(List.of("--port", "8001", "--control-plane", "https://127.0.0.1:8443", "--home", "/h", "--node-id",
                "node-8001", "--tls-cert", "/t/server.pem", "--tls-key", "/t/server.key", "--tls-ca", "/t/ca.pem"),
                n.args());
        assertEquals(URI.create("https://127.0.0.1:8001"), n.url());
        assertEquals(List.of("--port", "8443", "--home", "/h", "--tls-cert", "/t/server.pem", "--tls-key",
                "/t/server.key", "--tls-ca", "/t/ca.pem"), cp.args());
    }
}
