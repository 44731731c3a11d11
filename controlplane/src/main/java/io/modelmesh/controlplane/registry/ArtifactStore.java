package io.modelmesh.controlplane.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Content-addressed artifact storage: an artifact's name is the hex sha256 of its bytes. An upload is first received
 * into a temporary file (hashed and counted on the way, never held in memory), then either committed under its hash or
 * discarded.
 */
public interface ArtifactStore {
    Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A local directory store without a quota (created if missing; temporary files of crashed uploads are removed). */
    static ArtifactStore local(Path directory) throws IOException {
        return LocalArtifactStore.open(directory);
    }

    /**
     * A local directory store that refuses uploads (507) past {@code quotaBytes} stored, or when the disk would keep
     * less than {@code minFreeBytes} free.
     */
    static ArtifactStore local(Path directory, long quotaBytes, long minFreeBytes) throws IOException {
        return LocalArtifactStore.open(directory, quotaBytes, minFreeBytes);
    }

    /**
     * Streams {@code in} into a temporary file, computing its sha256 and size.
     *
     * @throws io.modelmesh.server.errors.PayloadTooLargeException as soon as more than {@code maxBytes} arrive;
     *                                                                  nothing is left behind
     * @throws io.modelmesh.server.errors.InsufficientStorageException as soon as the store's quota or the disk's
     *                                                                      free-space margin would be passed; nothing
     *                                                                      is left behind
     */
    Upload receive(InputStream in, long maxBytes) throws IOException;

    /**
     * A new, empty temporary file in the store's own temporary area, for an artifact the control plane produces itself
     * (a pickle converted to PMML). Hand it to {@link #ingest} or delete it; stale ones are removed at the next start.
     */
    Path newTempFile() throws IOException;

    /** Hashes a file made in {@link #newTempFile()} into an upload that {@link #commit} and {@link #discard} accept. */
    Upload ingest(Path tempFile) throws IOException;

    /** Moves the upload under its sha256 name (fsync, atomic rename). If those bytes are stored already, keeps those. */
    Stored commit(Upload upload) throws IOException;

    /** Deletes an upload's temporary file (no-op when already committed or discarded). */
    void discard(Upload upload);

    /** The stored file for a sha256, if present. */
    Optional<Path> find(String sha256);

    /** The sha256 of every stored artifact. */
    Set<String> list() throws IOException;

    /** Removes a stored artifact (used to undo a commit whose registration failed). */
    void delete(String sha256) throws IOException;

    Path directory();

    /** Bytes stored plus bytes of uploads being received: what counts against the quota. */
    long usedBytes();

    /**
     * A received upload not yet committed.
     *
     * @param tempFile where the bytes are
     * @param sha256   hex sha256 of the bytes
     * @param size     number of bytes
     * @param head     the first bytes (up to {@link FrameworkDetector#HEAD_BYTES}) for framework detection
     */
    record Upload(Path tempFile, String sha256, long size, byte[] head) {
        public Upload {
            head = head.clone();
        }

        @Override
        public byte[] head() {
            return head.clone();
        }
    }

    /** @param newlyStored false when identical bytes were stored before this upload */
    record Stored(String sha256, long size, Path path, boolean newlyStored) {
    }
}
