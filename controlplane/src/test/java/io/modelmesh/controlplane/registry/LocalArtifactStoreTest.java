package io.modelmesh.controlplane.registry;

import io.modelmesh.server.errors.InsufficientStorageException;
import io.modelmesh.server.errors.PayloadTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LocalArtifactStoreTest {
    @TempDir
    Path dir;

    @Test
    void receiveHashesCountsAndCommitsUnderTheHash() throws Exception {
        ArtifactStore store = ArtifactStore.local(dir);
        byte[] bytes = "model bytes".getBytes();
        ArtifactStore.Upload up = store.receive(new ByteArrayInputStream(bytes), 100);
        assertEquals(sha256(bytes), up.sha256());
        assertEquals(bytes.length, up.size());
        assertArrayEquals(bytes, up.head());

        ArtifactStore.Stored stored = store.commit(up);
        assertTrue(stored.newlyStored());
        assertEquals(dir.resolve(up.sha256()), stored.path());
        assertArrayEquals(bytes, Files.readAllBytes(stored.path()));
        assertEquals(List.of(up.sha256()), files());
        assertEquals(Set.of(up.sha256()), store.list());
        assertTrue(store.find(up.sha256()).isPresent());
    }

    @Test
    void sameBytesAreStoredOnce() throws IOException {
        ArtifactStore store = ArtifactStore.local(dir);
        ArtifactStore.Stored first = store.commit(store.receive(new ByteArrayInputStream(new byte[] {1, 2}), 10));
        ArtifactStore.Stored second = store.commit(store.receive(new ByteArrayInputStream(new byte[] {1, 2}), 10));
        assertTrue(first.newlyStored());
        assertFalse(second.newlyStored());
        assertEquals(List.of(first.sha256()), files(), "no temporary file remains");
    }

    /**
     * A disk that fills up half-way through an upload (a real 1 MiB tmpfs, so the write fails with ENOSPC): a 507 that
     * says so, nothing left behind, nothing counted. Needs root to mount; skipped with that reason otherwise.
     */
    @Test
    void aDiskThatFillsUpHalfWayIsA507AndLeavesNothing() throws Exception {
        Path disk = Files.createDirectory(dir.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes()).strip();
        assumeTrue(mount.waitFor() == 0, "mounting a 1 MiB tmpfs needs root: " + why);
        try {
            LocalArtifactStore store = LocalArtifactStore.open(disk, Long.MAX_VALUE, 0);
            InsufficientStorageException e = assertThrows(InsufficientStorageException.class,
                    () -> store.receive(new ByteArrayInputStream(new byte[3 << 20]), 10 << 20));
            assertTrue(e.getMessage().contains("filled up") && e.getMessage().contains("Nothing was stored"),
                    e.getMessage());
            try (Stream<Path> left = Files.list(disk)) {
                assertEquals(List.of(), left.toList(), "the partial upload is deleted");
            }
            assertEquals(0, store.usedBytes());
            byte[] small = "fits".getBytes();
            assertEquals(sha256(small), store.commit(store.receive(new ByteArrayInputStream(small), 100)).sha256(),
                    "the store works again once the failed upload is gone");
        } finally {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void tooLargeUploadLeavesNothing() throws IOException {
        ArtifactStore store = ArtifactStore.local(dir);
        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
                () -> store.receive(new ByteArrayInputStream(new byte[1001]), 1000));
        assertTrue(e.getMessage().contains("1000 bytes"), e.getMessage());
        assertEquals(List.of(), files());
        // exactly at the limit is fine
        store.discard(store.receive(new ByteArrayInputStream(new byte[1000]), 1000));
        assertEquals(List.of(), files());
    }

    @Test
    void deleteAndFind() throws IOException {
        ArtifactStore store = ArtifactStore.local(dir);
        ArtifactStore.Stored s = store.commit(store.receive(new ByteArrayInputStream(new byte[] {9}), 10));
        store.delete(s.sha256());
        assertTrue(store.find(s.sha256()).isEmpty());
        assertTrue(store.find("../../etc/passwd").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store.delete("nope"));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
