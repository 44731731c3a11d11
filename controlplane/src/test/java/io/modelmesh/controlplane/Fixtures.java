package io.modelmesh.controlplane;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The shared model fixtures under {@code fixtures/models} (written by fixtures/make_fixtures.py). */
public final class Fixtures {
    private static final Path DIR = Path.of("..", "fixtures", "models").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofMinutes(3);

    private Fixtures() {
    }

    public static Path irisOnnx() {
        return await("iris.onnx");
    }

    /** Any committed fixture by file name. */
    public static Path model(String name) {
        return await(name);
    }

    /** The hex sha256 of a file's bytes: its name in an artifact store. */
    public static String sha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path corruptOnnx() {
        return await("corrupt.onnx");
    }

    /**
     * The fixture, waiting (on file-system events, up to 3 minutes) while another process is still generating it.
     */
    static Path await(String name) {
        Path file = DIR.resolve(name);
        if (isComplete(file)) {
            return file;
        }
        try {
            Files.createDirectories(DIR);
            try (WatchService watch = FileSystems.getDefault().newWatchService()) {
                DIR.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
                Instant deadline = Instant.now().plus(WAIT);
                while (!isComplete(file)) {
                    long left = Duration.between(Instant.now(), deadline).toMillis();
                    if (left <= 0) {
                        throw new IllegalStateException(file + " does not exist: run /usr/bin/python3 "
                                + "fixtures/make_fixtures.py");
                    }
                    var key = watch.poll(Math.min(left, 1000), TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot watch " + DIR, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + file, e);
        }
        return file;
    }

    private static boolean isComplete(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
