package io.modelmesh.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * {@code HOME/admin-token}: the admin token of a control plane started without {@code --admin-token}. Created at first
 * start (32 random bytes as hex, readable by its owner only) and reused on every restart, so {@code mmctl} on the same
 * machine can read it.
 */
final class AdminTokenFile {
    static final String NAME = "admin-token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AdminTokenFile() {
    }

    /** The configured token, else the one in {@code HOME/admin-token}, created when missing. */
    static String resolve(ControlPlaneConfig config) {
        return config.adminToken() != null ? config.adminToken() : loadOrCreate(config.home().resolve(NAME));
    }

    static String loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (token.isEmpty()) {
                throw new IllegalStateException(file + " is empty: delete it to have a new admin token created, or "
                        + "pass --admin-token");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), NAME, ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.TRUNCATE_EXISTING);
            Files.setPosixFilePermissions(tmp, OWNER_ONLY); // whatever the umask did
            try {
                Files.createLink(file, tmp); // atomic, and never replaces a token another start wrote first
            } catch (FileAlreadyExistsException raced) {
                // another control plane on the same home created it: use theirs
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
