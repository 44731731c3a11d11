package io.modelmesh.dataplane.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.api.RoutingTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The node's state on disk: the last routing table it served ({@code routing.json}) and the artifacts it names
 * ({@code artifacts/SHA256}). Every write goes to a temp file in the same directory and is renamed atomically, so a
 * crash leaves either the old file or the new one.
 */
public final class LocalStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final Path artifacts;
    private final ObjectMapper json = Json.mapper();

    public LocalStore(Path dir) {
        this.dir = dir;
        this.artifacts = dir.resolve("artifacts");
        try {
            Files.createDirectories(artifacts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create node state directory " + artifacts, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The table saved by the last successful switch, if any. */
    public Optional<RoutingTable> loadTable() throws IOException {
        Path f = dir.resolve("routing.json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(f.toFile(), RoutingTable.class));
    }

    public void saveTable(RoutingTable table) throws IOException {
        Path tmp = Files.createTempFile(dir, "routing", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                json.writerWithDefaultPrettyPrinter().writeValue(out, table);
            }
            fsync(tmp);
            Files.move(tmp, dir.resolve("routing.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Path of an artifact by sha256 (it may not exist yet). */
    public Path artifact(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        return artifacts.resolve(sha256);
    }

    /** True when the artifact is on disk and its bytes hash to its name. */
    public boolean hasVerified(String sha256) throws IOException {
        Path p = artifact(sha256);
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            return sha256.equals(digest(in));
        }
    }

    /**
     * Stores bytes under their sha256 only if they hash to {@code expected}.
     *
     * @throws ArtifactMismatchException when they do not (nothing is kept)
     */
    public Path store(String expected, InputStream in) throws IOException {
        Path tmp = Files.createTempFile(artifacts, "download", ".tmp");
        try {
            MessageDigest md = sha256();
            try (DigestInputStream din = new DigestInputStream(in, md);
                 OutputStream out = Files.newOutputStream(tmp)) {
                din.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(expected)) {
                throw new ArtifactMismatchException("artifact " + expected + " arrived with sha256 " + actual);
            }
            fsync(tmp);
            Path target = artifact(expected);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Removes the temporary files a crash or a kill left: downloads in progress ({@code artifacts/download*.tmp}) and
     * tables being saved ({@code routing*.tmp}). Called at start, before anything is downloaded or saved.
     *
     * @return how many were removed
     */
    public int removeTemporaryFiles() throws IOException {
        int removed = 0;
        for (var spec : java.util.List.of(java.util.Map.entry(artifacts, "download*.tmp"),
                java.util.Map.entry(dir, "routing*.tmp"))) {
            try (var files = Files.newDirectoryStream(spec.getKey(), spec.getValue())) {
                for (Path p : files) {
                    if (Files.deleteIfExists(p)) {
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    /** Removes artifacts no longer named by the served table. */
    public void retainOnly(java.util.Set<String> keep) throws IOException {
        try (var files = Files.list(artifacts)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (SHA256.matcher(name).matches() && !keep.contains(name)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static String digest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Downloaded bytes do not match the sha256 the routing table names. */
    public static final class ArtifactMismatchException extends IOException {
        public ArtifactMismatchException(String message) {
            super(message);
        }
    }
}
