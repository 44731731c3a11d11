package io.modelmesh.cli.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void controlPlaneWithExternalDatabaseDetached() {
        List<String> cmd = ServerSpec.controlPlane(9090, HOME, "jdbc:postgresql://db/mm").command("java", ARGS,
                "/usr/bin/setsid");
        assertEquals("/usr/bin/setsid", cmd.get(0));
        assertEquals(List.of("--port", "9090", "--home", "/h", "--database-url", "jdbc:postgresql://db/mm"),
                cmd.subList(cmd.size() - 6, cmd.size()));
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
        assertEquals(List.of("io.modelmesh.dataplane.Main", "--port", "8001", "--control-plane", "http://127.0.0.1:8080",
                "--home", "/h", "--node-id", "node-8001"), n.command("java", ARGS, null).subList(4, 13));
        assertEquals(URI.create("http://127.0.0.1:8001"), n.url());
    }
}
