package io.modelmesh.server.secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secret files: created once, owner-only, atomically; read as their first line; loose permissions tightened. */
class SecretFileTest {
    @TempDir
    Path dir;

    @Test
    void createdOnceOwnerOnlyAndReused() throws Exception {
        Path file = dir.resolve("sub").resolve("secret");
        AtomicInteger generated = new AtomicInteger();
        String first = SecretFile.loadOrCreate(file, () -> "s-" + generated.incrementAndGet(), "delete it");
        assertEquals("s-1", first);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("s-1", SecretFile.loadOrCreate(file, () -> "s-" + generated.incrementAndGet(), "delete it"));
        assertEquals(1, generated.get(), "an existing secret is never replaced");
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
        assertTrue(SecretFile.randomHex(32).matches("[0-9a-f]{64}"));
    }

    @Test
    void looseningIsUndoneAndEmptinessExplained() throws Exception {
        Path file = Files.writeString(dir.resolve("loose"), "pw\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("pw", SecretFile.loadOrCreate(file, () -> "new", "delete it"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretFile.loadOrCreate(empty, () -> "new", "delete it to get a new one"));
        assertEquals(empty + " is empty: delete it to get a new one", e.getMessage());
    }

    @Test
    void operatorFilesAreReadAsTheirFirstLine() throws Exception {
        assertEquals("p w", SecretFile.read(Files.writeString(dir.resolve("a"), "p w\r\nnext\n"), "--x-file"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SecretFile.read(dir.resolve("none"), "--database-password-file"));
        assertEquals("--database-password-file " + dir.resolve("none") + " does not exist", missing.getMessage());
    }

    @Test
    void replacingIsAtomicAndOwnerOnly() throws Exception {
        Path file = dir.resolve("admin-token");
        SecretFile.loadOrCreate(file, () -> "old", "delete it");
        SecretFile.replace(file, "rotated");
        assertEquals("rotated", SecretFile.loadOrCreate(file, () -> "x", "delete it"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
        assertThrows(IllegalArgumentException.class, () -> SecretFile.replace(file, "two\nlines"));
    }
}
