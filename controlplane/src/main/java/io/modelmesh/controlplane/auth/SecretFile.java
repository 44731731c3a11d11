package io.modelmesh.controlplane.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A secret kept in a file readable by its owner only ({@code HOME/admin-token}, {@code HOME/join-token}): created at
 * first start, reused on every restart, so {@code mmctl} and nodes on the same machine can read it without it ever
 * being on a command line.
 */
final class SecretFile {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SecretFile() {
    }

    /** The file's secret; a new one from {@code generate} when the file does not exist. */
    static String loadOrCreate(Path file, Supplier<String> generate) {
        try {
            if (!Files.exists(file)) {
                write(file, generate.get(), false);
            }
            String secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (secret.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to have a new secret created");
            }
            if (!secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalStateException(file + " holds characters other than printable ASCII: delete it to "
                        + "have a new secret created");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** Replaces the file's secret atomically (a revoked bootstrap token is rotated this way). */
    static void replace(Path file, String secret) {
        try {
            write(file, secret, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void write(Path file, String secret, boolean replace) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, secret + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.setPosixFilePermissions(tmp, OWNER_ONLY); // whatever the umask did
            if (replace) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                try {
                    Files.createLink(file, tmp); // atomic, and never replaces a secret another start wrote first
                } catch (FileAlreadyExistsException raced) {
                    // another control plane on the same home created it: use theirs
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
