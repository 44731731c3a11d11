package io.modelmesh.server.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Secrets kept in files: the ones a server makes for itself under MM_HOME (the admin token, the embedded PostgreSQL's
 * password), created owner-only ({@code 0600}) and atomically, and the ones an operator hands over as a file
 * ({@code --database-password-file}). A secret is the file's first line; it never goes on a command line or into a log.
 */
public final class SecretFile {
    private static final Logger LOG = Logger.getLogger(SecretFile.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFile() {
    }

    /** {@code bytes} random bytes as lower-case hex: safe in any config file, URL or SQL literal. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The secret in {@code file}; when the file is missing, one from {@code generator} is written first (mode 0600,
     * through a temporary file and a hard link, so a reader never sees a half-written file and two servers starting
     * on one home agree on the first one written). A file readable by others is made owner-only again, with a warning.
     *
     * @param whenEmpty what to do when the file exists but is empty, for the message
     * @throws IllegalStateException  when the file is empty
     * @throws UncheckedIOException   when it cannot be read or created
     */
    public static String loadOrCreate(Path file, Supplier<String> generator, String whenEmpty) {
        try {
            if (!Files.exists(file)) {
                create(file, generator.get());
            }
            tighten(file);
            String secret = firstLine(Files.readString(file, StandardCharsets.UTF_8));
            if (secret.isEmpty()) {
                throw new IllegalStateException(file + " is empty: " + whenEmpty);
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the file's secret atomically (mode 0600): a revoked bootstrap token is rotated this way.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    public static void replace(Path file, String secret) {
        if (secret.isEmpty() || secret.contains("\n") || secret.contains("\r")) {
            throw new IllegalArgumentException("a secret must be one non-empty line");
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.SYNC);
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The secret in a file an operator provides (its first line, without the line end).
     *
     * @param what the option that named it, for messages ({@code --database-password-file})
     * @throws IllegalArgumentException when the file is missing, unreadable or empty
     */
    public static String read(Path file, String what) {
        try {
            String secret = firstLine(Files.readString(file, StandardCharsets.UTF_8));
            if (secret.isEmpty()) {
                throw new IllegalArgumentException(what + " " + file + " is empty");
            }
            return secret;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static void create(Path file, String secret) throws IOException {
        if (secret.isEmpty() || secret.contains("\n") || secret.contains("\r")) {
            throw new IllegalArgumentException("a generated secret must be one non-empty line");
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            Files.setPosixFilePermissions(tmp, OWNER_ONLY); // whatever the umask did
            try {
                Files.createLink(file, tmp); // atomic, and never replaces a secret another start wrote first
            } catch (FileAlreadyExistsException raced) {
                // another server on the same home created it: use theirs
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void tighten(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            LOG.warning(file + " was readable by others (" + PosixFilePermissions.toString(perms) + "); made it "
                    + "owner-only (rw-------). Treat the secret in it as exposed if others could log in here.");
        }
    }
}
