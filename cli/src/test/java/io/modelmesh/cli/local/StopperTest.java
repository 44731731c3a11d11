package io.modelmesh.cli.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code mmctl down} (and a foreground {@code up} on Ctrl-C) stops the nodes, then the extra control planes, then the
 * first control plane, whose embedded PostgreSQL the others use. Real processes stand in for the servers.
 */
class StopperTest {
    @Test
    void nodesThenFurtherControlPlanesThenTheFirstOne(@TempDir Path dir) throws Exception {
        StackHome home = new StackHome(dir).create();
        List<Process> started = new ArrayList<>();
        try {
            for (String name : List.of("control-plane", "control-plane-2", "node-8000", "node-8001")) {
                Process p = new ProcessBuilder("sleep", "300").start();
                started.add(p);
                PidFile.write(home, name, p.toHandle(), 1);
            }

            List<Stopper.Stopped> stopped = Stopper.stop(PidFile.all(home), Duration.ofSeconds(10));

            assertEquals(List.of("node-8000", "node-8001", "control-plane-2", "control-plane"),
                    stopped.stream().map(Stopper.Stopped::name).toList());
            assertEquals(List.of(Stopper.STOPPED, Stopper.STOPPED, Stopper.STOPPED, Stopper.STOPPED),
                    stopped.stream().map(Stopper.Stopped::how).toList());
            for (Process p : started) {
                assertFalse(p.isAlive());
            }
            assertEquals(List.of(), PidFile.all(home));
        } finally {
            started.forEach(Process::destroyForcibly);
        }
    }
}
