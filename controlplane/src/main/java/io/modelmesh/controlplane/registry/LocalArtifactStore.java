package io.modelmesh.controlplane.registry;

import io.modelmesh.server.errors.InsufficientStorageException;
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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link ArtifactStore} in one local directory: {@code DIR/<sha256>}, uploads in progress as {@code DIR/.upload-*}.
 * The directory belongs to one control plane process (as its home does): temporary files found at start were left by a
 * crash and are deleted. Bytes stored and bytes arriving count against the quota; an upload is also refused once the
 * disk would keep less free space than the margin. Both are checked as the bytes arrive, so a refused upload has
 * written at most one chunk past the line, and its temporary file is deleted.
 */
final class LocalArtifactStore implements ArtifactStore {
    private static final Logger LOG = Logger.getLogger(LocalArtifactStore.class.getName());
    private static final String TEMP_PREFIX = ".upload-";
    /** How many bytes may arrive between two looks at the disk's free space. */
    private static final long FREE_SPACE_CHECK_BYTES = 8L << 20;

    private final Path dir;
    private final long quota;
    private final long minFree;
    /** Bytes of stored artifacts and of uploads being received. */
    private final AtomicLong used;

    private LocalArtifactStore(Path dir, long quota, long minFree, long used) {
        this.dir = dir;
        this.quota = quota;
        this.minFree = minFree;
        this.used = new AtomicLong(used);
    }

    static LocalArtifactStore open(Path directory) throws IOException {
        return open(directory, Long.MAX_VALUE, 0);
    }

    /**
     * @param quota   most bytes the store may hold ({@link Long#MAX_VALUE}: no quota)
     * @param minFree free bytes an upload must leave on the disk
     */
    static LocalArtifactStore open(Path directory, long quota, long minFree) throws IOException {
        Path dir = Files.createDirectories(directory.toAbsolutePath().normalize());
        int removed = removeTemporaryFiles(dir);
        if (removed > 0) {
            LOG.info("removed " + removed + " temporary upload(s) a crash left in " + dir);
        }
        return new LocalArtifactStore(dir, quota, minFree, storedBytes(dir));
    }

    @Override
    public long usedBytes() {
        return used.get();
    }

    @Override
    public Upload receive(InputStream in, long maxBytes) throws IOException {
        requireFreeSpace(0);
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID() + ".tmp");
        MessageDigest sha = sha256();
        byte[] head = new byte[FrameworkDetector.HEAD_BYTES];
        int headLen = 0;
        long size = 0;
        long reserved = 0;
        long sinceFreeCheck = 0;
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
                reserve(n);
                reserved += n;
                sinceFreeCheck += n;
                if (sinceFreeCheck >= FREE_SPACE_CHECK_BYTES) {
                    requireFreeSpace(0);
                    sinceFreeCheck = 0;
                }
                if (headLen < head.length) {
                    int take = Math.min(n, head.length - headLen);
                    System.arraycopy(chunk, 0, head, headLen, take);
                    headLen += take;
                }
                sha.update(chunk, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(chunk, 0, n);
                try {
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                } catch (IOException e) {
                    throw diskFull(e, size);
                }
            }
            try {
                out.force(true);
            } catch (IOException e) {
                throw diskFull(e, size);
            }
            ok = true;
        } finally {
            if (!ok) {
                Files.deleteIfExists(temp);
                used.addAndGet(-reserved);
            }
        }
        return new Upload(temp, HexFormat.of().formatHex(sha.digest()), size, Arrays.copyOf(head, headLen));
    }

    /**
     * A write to the store that failed: a full disk (ENOSPC, or a disk quota) is the operator's to fix and answers 507
     * like the store's own quota; anything else stays an I/O failure. The caller deletes what was written.
     */
    private IOException diskFull(IOException e, long received) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
            throw new InsufficientStorageException("the disk under the artifact store " + dir + " filled up after "
                    + received + " bytes of this upload (" + m + "); free disk space or move the store (a margin "
                    + "kept free: MM_MIN_FREE_BYTES / --min-free-bytes). Nothing was stored");
        }
        return e;
    }

    /** Counts {@code n} more bytes against the quota, or refuses them (reserving nothing). */
    private void reserve(long n) {
        long after = used.addAndGet(n);
        if (after > quota) {
            used.addAndGet(-n);
            throw new InsufficientStorageException("the artifact store is full: it may hold " + quota + " bytes "
                    + "(MM_MAX_STORE_BYTES / --max-store-bytes) and this upload would pass that; delete versions no "
                    + "longer needed (mmctl delete) or raise the quota. Nothing was stored");
        }
    }

    /** Refuses to go on when the disk would keep less than the free-space margin after {@code extra} more bytes. */
    private void requireFreeSpace(long extra) throws IOException {
        if (minFree <= 0) {
            return;
        }
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free - extra < minFree) {
            throw new InsufficientStorageException("the disk under the artifact store has " + free + " bytes free, "
                    + "under the margin of " + minFree + " bytes this control plane keeps (MM_MIN_FREE_BYTES / "
                    + "--min-free-bytes); free disk space or move the store. Nothing was stored");
        }
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
        requireFreeSpace(0);
        reserve(size); // counted from now on, like a received upload; the caller deletes the file if this refuses
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
            if (Files.deleteIfExists(upload.tempFile())) {
                used.addAndGet(-upload.size());
            }
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
        Path file = dir.resolve(sha256);
        long size = Files.isRegularFile(file) ? Files.size(file) : 0;
        if (Files.deleteIfExists(file)) {
            used.addAndGet(-size);
        }
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

    /** Deletes every temporary upload (at start: none can be in progress yet). */
    private static int removeTemporaryFiles(Path dir) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
            for (Path t : temps) {
                if (Files.deleteIfExists(t)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Bytes of the artifacts stored in {@code dir}. */
    private static long storedBytes(Path dir) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> SHA256.matcher(p.getFileName().toString()).matches()).toList()) {
                try {
                    total += Files.size(p);
                } catch (NoSuchFileException ignored) {
                    // deleted concurrently
                }
            }
        }
        return total;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
