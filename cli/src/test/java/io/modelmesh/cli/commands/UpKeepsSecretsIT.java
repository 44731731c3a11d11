package io.modelmesh.cli.commands;

import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.local.PidFile;
import io.modelmesh.cli.local.StackHome;
import io.modelmesh.controlplane.store.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mmctl up} with an external-style database URL that carries a password (pointed at a real PostgreSQL this test
 * starts, which requires that password): the stack runs the demo end to end, and neither the database password nor
 * the admin token appears on the command line of any process it started ({@code /proc/PID/cmdline}, what {@code ps}
 * shows every user) nor in any file under MM_HOME/logs or MM_HOME/run, nor in mmctl's own output.
 */
class UpKeepsSecretsIT {
    @TempDir
    Path home;
    @TempDir
    Path database;

    @Test
    void noSecretOnAnyCommandLineOrInAnyLog() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(database.resolve("postgres"), database.resolve("pg.log"),
                database.resolve("postgres-password"))) {
            String password = Files.readString(database.resolve("postgres-password")).strip();
            String url = "postgresql://postgres:" + password + "@127.0.0.1:" + db.port() + "/postgres";
            int[] ports = LoopbackPorts.distinct(2);
            int cpPort = ports[0];
            int nodePort = ports[1];
            List<String> secrets = new ArrayList<>(List.of(password));
            Result up;
            List<String> commandLines = new ArrayList<>();
            String controlPlaneEnvironment;
            try {
                up = Cli.run(ClientFactory.standard(), Map.of(), "up", "--home", home.toString(), "--port",
                        Integer.toString(cpPort), "--node-port", Integer.toString(nodePort), "--nodes", "1", "--demo",
                        "--detach", "--timeout", "180", "--database-url", url);
                assertEquals(0, up.code(), up.toString());
                assertTrue(up.err().contains("warning: the password in --database-url"), up.err());

                String adminToken = Files.readString(home.resolve("admin-token")).strip();
                secrets.add(adminToken);
                assertFalse(Files.exists(home.resolve("postgres")), "the control plane used the given database");

                List<PidFile> servers = PidFile.all(new StackHome(home));
                assertEquals(2, servers.size(), servers.toString());
                controlPlaneEnvironment = "";
                for (PidFile server : servers) {
                    ProcessHandle p = server.process().orElseThrow(() -> new AssertionError(server + " not running"));
                    commandLines.add(cmdline(p.pid()));
                    p.descendants().forEach(child -> commandLines.add(cmdline(child.pid())));
                    if (server.name().equals("control-plane")) {
                        controlPlaneEnvironment = read(Path.of("/proc", Long.toString(p.pid()), "environ"));
                    }
                }
            } finally {
                Result down = Cli.run("down", "--home", home.toString());
                assertEquals(0, down.code(), down.toString());
            }
            // the secret did reach the control plane, in its environment, which only its owner can read
            assertTrue(controlPlaneEnvironment.contains("MM_DATABASE_URL=" + url), "the URL travels by environment");
            assertTrue(commandLines.stream().anyMatch(c -> c.contains("io.modelmesh.controlplane.Main")), commandLines
                    .toString());

            for (String secret : secrets) {
                for (String cmdline : commandLines) {
                    assertFalse(cmdline.contains(secret), "a secret on a command line: " + cmdline.replace(secret,
                            "<SECRET>"));
                }
                for (Path file : files(home.resolve("logs"), home.resolve("run"))) {
                    assertFalse(read(file).contains(secret), "a secret in " + file);
                }
                assertFalse(up.out().contains(secret) || up.err().contains(secret), "a secret in mmctl's output");
            }
            String cpLog = read(home.resolve("logs").resolve("control-plane.log"));
            assertTrue(cpLog.contains("=== "), "the launch line is logged");
            assertTrue(cpLog.contains("environment: MM_DATABASE_URL"), "which variables it got is logged: " + cpLog);
            assertTrue(cpLog.contains("postgresql://127.0.0.1:" + db.port() + "/postgres"),
                    "the database is named, without its password: " + cpLog);
        }
    }

    private static String cmdline(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static List<Path> files(Path... dirs) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile).forEach(out::add);
            }
        }
        assertFalse(out.isEmpty());
        return out;
    }
}
