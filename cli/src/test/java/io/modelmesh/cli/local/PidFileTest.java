package io.modelmesh.cli.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidFileTest {

    @Test
    void roundTripAndLiveness(@TempDir Path dir) throws Exception {
        StackHome home = new StackHome(dir).create();
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            PidFile written = PidFile.write(home, "node-8000", p.toHandle(), 8000);
            PidFile read = PidFile.read(home, "node-8000").orElseThrow();
            assertEquals(written.pid(), read.pid());
            assertEquals(8000, read.port());
            assertEquals(p.pid(), read.process().orElseThrow().pid());
            assertEquals(String.valueOf(p.pid()), Files.readAllLines(home.pidFile("node-8000")).get(0),
                    "first line is the bare pid, as pid files go");
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertTrue(PidFile.read(home, "node-8000").orElseThrow().process().isEmpty(), "dead process: stale");
    }

    @Test
    void aRecycledPidIsNotMistakenForOurs(@TempDir Path dir) throws Exception {
        StackHome home = new StackHome(dir).create();
        Process p = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(home.pidFile("control-plane"), p.pid() + "\n2001-01-01T00:00:00Z\n8080\n");
            assertTrue(PidFile.read(home, "control-plane").orElseThrow().process().isEmpty());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void garbageAndOurOwnPidAreStale(@TempDir Path dir) throws Exception {
        StackHome home = new StackHome(dir).create();
        Files.writeString(home.pidFile("a"), "not a pid\n");
        Files.writeString(home.pidFile("b"), ProcessHandle.current().pid() + "\n");
        Files.writeString(home.run().resolve("ignored.txt"), "1\n");
        List<PidFile> all = PidFile.all(home);
        assertEquals(List.of("a", "b"), all.stream().map(PidFile::name).toList());
        all.forEach(f -> assertFalse(f.process().isPresent(), f.toString()));
    }

    @Test
    void noRunDirectoryNoPidFiles(@TempDir Path dir) {
        assertEquals(List.of(), PidFile.all(new StackHome(dir.resolve("nothing-here"))));
    }
}
