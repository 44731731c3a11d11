package io.modelmesh.controlplane.registry;

import io.modelmesh.server.errors.PayloadTooLargeException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@link ArtifactStore} in one local directory: {@code DIR/<sha256>}, uploads in progress as {@code DIR/.upload-*}. */
final class LocalArtifactStore implements ArtifactStore {
    private static final Logger LOG = Logger.getLogger(LocalArtifactStore.class.getName());
    private static final String TEMP_PREFIX = ".upload-";
    private static final Duration STALE_UPLOAD = Duration.ofHours(1);

    private final Path dir;

    private LocalArtifactStore(Path dir) {
        this.dir = dir;
    }

    static LocalArtifactStore open(Path directory) throws IOException {
        Path dir = Files.createDirectories(directory.toAbsolutePath().normalize());
        removeStaleUploads(dir);
        return new LocalArtifactStore(dir);
    }

    @Override
    public Upload receive(InputStream in, long maxBytes) throws IOException {
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + ".tmp");
        MessageDigest sha = sha256();
        byte[] head = new byte[FrameworkDetector.HEAD_BYTES];
        int headLen = 0;
        long size = 0;
        boolean ok = false;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[64 * 1024];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                size += n;
                if (size > maxBytes) {
                    throw new PayloadTooLargeException("the artifact is larger than this control plane accepts ("
                            + maxBytes + " bytes); raise --max-upload-bytes (MM_MAX_UPLOAD_BYTES) to register it");
                }
                if (headLen < head.length) {
                    int take = Math.min(n, head.length - headLen);
                    System.arraycopy(chunk, 0, head, headLen, take);
                    headLen += take;
                }
                sha.update(chunk, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(chunk, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
            }
            out.force(true);
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(temp);
            }
        }
        return new Upload(temp, HexFormat.of().formatHex(sha.digest()), size, Arrays.copyOf(head, headLen));
    }

    @Override
    public Path newTempFile() throws IOException {
        return Files.createFile(dir.resolve(TEMP_PREFIX + UUID.randomUUID() + ".tmp"));
    }

    @Override
    public Upload ingest(Path tempFile) throws IOException {
        Path file = tempFile.toAbsolutePath().normalize();
        if (!dir.equals(file.getParent()) || !file.getFileName().toString().startsWith(TEMP_PREFIX)) {
            throw new IllegalArgumentException(tempFile + " is not a temporary file of " + dir);
        }
        MessageDigest sha = sha256();
        byte[] head = new byte[FrameworkDetector.HEAD_BYTES];
        int headLen = 0;
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[64 * 1024];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (headLen < head.length) {
                    int take = Math.min(n, head.length - headLen);
                    System.arraycopy(chunk, 0, head, headLen, take);
                    headLen += take;
                }
                sha.update(chunk, 0, n);
                size += n;
            }
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return new Upload(file, HexFormat.of().formatHex(sha.digest()), size, Arrays.copyOf(head, headLen));
    }

    @Override
    public Stored commit(Upload upload) throws IOException {
        Path target = dir.resolve(upload.sha256());
        if (Files.exists(target)) {
            discard(upload);
            return new Stored(upload.sha256(), upload.size(), target, false);
        }
        Files.move(upload.tempFile(), target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory();
        return new Stored(upload.sha256(), upload.size(), target, true);
    }

    @Override
    public void discard(Upload upload) {
        try {
            Files.deleteIfExists(upload.tempFile());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete temporary upload " + upload.tempFile(), e);
        }
    }

    @Override
    public Optional<Path> find(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            return Optional.empty();
        }
        Path p = dir.resolve(sha256);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public Set<String> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> SHA256.matcher(n).matches())
                    .collect(Collectors.toUnmodifiableSet());
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        Files.deleteIfExists(dir.resolve(sha256));
        fsyncDirectory();
    }

    @Override
    public Path directory() {
        return dir;
    }

    private void fsyncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename itself is still atomic.
            LOG.log(Level.FINE, "cannot fsync " + dir, e);
        }
    }

    private static void removeStaleUploads(Path dir) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_UPLOAD);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path t : temps) {
                try {
                    if (Files.getLastModifiedTime(t).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(t);
                    }
                } catch (NoSuchFileException ignored) {
                    // removed concurrently
                }
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
