package io.modelmesh.controlplane.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;

/**
 * The embedded PostgreSQL's {@code pg_hba.conf}, which ModelMesh owns: password (SCRAM-SHA-256) authentication for
 * every connection, over the Unix socket and loopback TCP, nothing else. Rewritten before every start, so an edit that
 * opens a door does not survive a restart.
 */
final class HbaFile {
    static final String NAME = "pg_hba.conf";

    /** What every start of a migrated or new cluster runs with. */
    static final String PASSWORD_ONLY = """
            # Written by ModelMesh before every start of its embedded PostgreSQL; edits here are replaced.
            # Every connection needs the password in MM_HOME/postgres-password (SCRAM-SHA-256); the server
            # listens on 127.0.0.1 only. Replication connections match no line and are refused.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """;

    /**
     * The one start that migrates a trust-mode cluster of an earlier version: only the control plane's own first
     * connection (loopback TCP, user postgres, database postgres) is trusted, until it has set the password.
     */
    static final String MIGRATION = """
            # Written by ModelMesh for the one start that sets the password of a cluster an earlier version
            # initialised with trust authentication; replaced by password-only rules as soon as the password is set.
            # TYPE  DATABASE  USER      ADDRESS       METHOD
            host    postgres  postgres  127.0.0.1/32  trust
            local   all       all                     scram-sha-256
            host    all       all       127.0.0.1/32  scram-sha-256
            host    all       all       ::1/128       scram-sha-256
            """;

    private HbaFile() {
    }

    /** Whether any rule of the data directory's {@code pg_hba.conf} lets a client in without a password. */
    static boolean trustsAnyone(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(NAME);
        if (!Files.exists(file)) {
            return false;
        }
        return rules(Files.readString(file, StandardCharsets.UTF_8)).stream()
                .anyMatch(tokens -> tokens.contains("trust"));
    }

    /** Replaces the data directory's {@code pg_hba.conf} (atomically) unless it already says exactly that. */
    static void write(Path dataDirectory, boolean migration) {
        String content = migration ? MIGRATION : PASSWORD_ONLY;
        Path file = dataDirectory.resolve(NAME);
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
                return;
            }
            Path tmp = dataDirectory.resolve(NAME + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The active rules: lines without comments, split into lower-case tokens. */
    static List<List<String>> rules(String content) {
        return content.lines()
                .map(line -> line.contains("#") ? line.substring(0, line.indexOf('#')) : line)
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> Arrays.stream(line.toLowerCase(java.util.Locale.ROOT).split("\\s+")).toList())
                .toList();
    }
}
