package io.modelmesh.cli.commands;

import io.modelmesh.cli.Cli;
import io.modelmesh.cli.Cli.Result;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.local.PidFile;
import io.modelmesh.cli.local.StackHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownCommandTest {

    @Test
    void nothingRunningIsSuccess(@TempDir Path dir) {
        Result r = Cli.run("down", "--home", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().contains("nothing is running under " + dir), r.err());
        assertFalse(Files.exists(dir.resolve("run")), "down creates nothing");
    }

    @Test
    void homeComesFromMmHome(@TempDir Path dir) {
        Result r = Cli.run(ClientFactory.standard(), Map.of("MM_HOME", dir.toString()), "down");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains(dir.toString()), r.err());
    }

    @Test
    void stalePidFilesAreRemoved(@TempDir Path dir) throws Exception {
        StackHome home = new StackHome(dir).create();
        Files.writeString(home.pidFile("node-8000"), "999999999\n");
        Result r = Cli.run("down", "--home", dir.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("removed 1 stale pid file"), r.err());
        assertFalse(Files.exists(home.pidFile("node-8000")));
    }

    @Test
    void stopsWhatThePidFilesNameNodesFirst(@TempDir Path dir) throws Exception {
        StackHome home = new StackHome(dir).create();
        Process cp = new ProcessBuilder("sleep", "300").start();
        Process node = new ProcessBuilder("sleep", "300").start();
        try {
            PidFile.write(home, "control-plane", cp.toHandle(), 8080);
            PidFile.write(home, "node-8000", node.toHandle(), 8000);
            Result r = Cli.run("down", "--home", dir.toString());
            assertEquals(0, r.code(), r.toString());
            java.util.List<String> lines = r.out().lines().toList();
            assertTrue(lines.get(0).startsWith("NAME           PID"), r.out());
            assertTrue(lines.get(1).startsWith("node-8000      " + node.pid()), r.out());
            assertTrue(lines.get(2).startsWith("control-plane  " + cp.pid()), r.out());
            assertTrue(r.out().contains("stopped"), r.out());
            assertTrue(cp.waitFor(5, TimeUnit.SECONDS) && node.waitFor(5, TimeUnit.SECONDS), "both were stopped");
            assertEquals(143, cp.exitValue(), "SIGTERM, not SIGKILL");
            assertFalse(Files.exists(home.pidFile("control-plane")));
            assertFalse(Files.exists(home.pidFile("node-8000")));

            Result json = Cli.run("down", "--home", dir.toString(), "-o", "json");
            assertEquals("[ ]", json.out().strip(), "nothing left: an empty JSON list");
        } finally {
            cp.destroyForcibly();
            node.destroyForcibly();
        }
    }
}
