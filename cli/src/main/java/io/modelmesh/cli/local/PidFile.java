package io.modelmesh.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code run/NAME.pid}: the pid of a process {@code mmctl up} started (first line, as pid files go), its start time so a
 * recycled pid is never mistaken for it, and the port it serves on.
 *
 * @param name    process name (control-plane, node-8000, ...)
 * @param pid     process id
 * @param started the process's start time as the OS reports it, or null when unknown
 * @param port    the port it serves on, or 0 when unknown
 * @param path    where the pid file is
 */
public record PidFile(String name, long pid, Instant started, int port, Path path) {

    /** Writes the pid file for a process just started. */
    public static PidFile write(StackHome home, String name, ProcessHandle process, int port) {
        Instant started = process.info().startInstant().orElse(null);
        Path path = home.pidFile(name);
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, process.pid() + "\n" + (started == null ? "-" : started) + "\n" + port + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        return new PidFile(name, process.pid(), started, port, path);
    }

    /** The pid file of {@code name}, if present and readable. */
    public static Optional<PidFile> read(StackHome home, String name) {
        return read(home.pidFile(name));
    }

    /** Every pid file under {@code run/}, sorted by name. */
    public static List<PidFile> all(StackHome home) {
        List<PidFile> all = new ArrayList<>();
        if (!Files.isDirectory(home.run())) {
            return all;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.run(), "*.pid")) {
            for (Path p : ds) {
                read(p).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + home.run() + ": " + e.getMessage(), e);
        }
        all.sort(java.util.Comparator.comparing(PidFile::name));
        return all;
    }

    static Optional<PidFile> read(Path path) {
        String file = path.getFileName().toString();
        String name = file.endsWith(".pid") ? file.substring(0, file.length() - 4) : file;
        try {
            List<String> lines = Files.readAllLines(path).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (lines.isEmpty()) {
                return Optional.of(new PidFile(name, -1, null, 0, path));
            }
            long pid = Long.parseLong(lines.get(0));
            Instant started = lines.size() > 1 && !lines.get(1).equals("-") ? Instant.parse(lines.get(1)) : null;
            int port = lines.size() > 2 ? Integer.parseInt(lines.get(2)) : 0;
            return Optional.of(new PidFile(name, pid, started, port, path));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException | DateTimeParseException e) {
            return Optional.of(new PidFile(name, -1, null, 0, path)); // garbage: treated as stale
        }
    }

    /** The live process this file names: same pid and, when both are known, the same start time. */
    public Optional<ProcessHandle> process() {
        if (pid <= 0 || pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> {
            Optional<Instant> actual = h.info().startInstant();
            return started == null || actual.isEmpty() || sameInstant(started, actual.get());
        });
    }

    public void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    /** The OS reports start times to clock ticks; allow for rounding between readers. */
    private static boolean sameInstant(Instant a, Instant b) {
        return Math.abs(a.toEpochMilli() - b.toEpochMilli()) < 1000;
    }
}
