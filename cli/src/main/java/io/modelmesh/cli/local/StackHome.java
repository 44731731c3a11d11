package io.modelmesh.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of a local stack's home (MM_HOME, default ~/.modelmesh): {@code logs/NAME.log} for each process's output,
 * {@code run/NAME.pid} naming the running processes. The servers keep their own data under the same home.
 */
public record StackHome(Path root) {
    public StackHome {
        root = root.toAbsolutePath().normalize();
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path run() {
        return root.resolve("run");
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    public Path pidFile(String name) {
        return run().resolve(name + ".pid");
    }

    /** Creates logs/ and run/ when missing. */
    public StackHome create() {
        try {
            Files.createDirectories(logs());
            Files.createDirectories(run());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root + ": " + e.getMessage(), e);
        }
    }
}
