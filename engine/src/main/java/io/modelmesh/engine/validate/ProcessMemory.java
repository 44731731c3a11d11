package io.modelmesh.engine.validate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory, read from {@code /proc/PID/status} (Linux); -1 where that cannot be read. */
final class ProcessMemory {
    private ProcessMemory() {
    }

    static long residentBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel writes kB
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1; // gone, or not Linux
        }
    }
}
