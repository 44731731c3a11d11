package io.modelmesh.cli.local;

import io.modelmesh.cli.CliException;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded PostgreSQL the first control plane of a local stack runs ({@code HOME/postgres}, password in
 * {@code HOME/postgres-password}), as a URL the other control planes of {@code mmctl up --control-planes N} connect to.
 * Its port is picked at each start; PostgreSQL writes it on the fourth line of {@code postmaster.pid} in the data
 * directory (PostgreSQL's "Database File Layout"). The URL holds the password, so it only ever goes into a
 * server's environment (MM_DATABASE_URL), never onto a command line or into a log.
 */
public final class LocalDatabase {
    static final String DATA_DIR = "postgres";
    static final String PASSWORD_FILE = "postgres-password";
    private static final int PORT_LINE = 3;   // 0-based: pid, data directory, start time, port, ...
    private static final long MAX_FILE_BYTES = 4096;

    private LocalDatabase() {
    }

    /** {@code postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres} of the stack's embedded database. */
    public static String url(Path home) {
        int port = port(read(home.resolve(DATA_DIR).resolve("postmaster.pid"), "its postmaster.pid"));
        String password = read(home.resolve(PASSWORD_FILE), "its password file").strip();
        if (password.isEmpty()) {
            throw CliException.failure(home.resolve(PASSWORD_FILE) + " is empty; the first control plane writes it "
                    + "when it starts its embedded PostgreSQL");
        }
        return "postgresql://postgres:" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@127.0.0.1:" + port
                + "/postgres";
    }

    /** The port on the fourth line of a postmaster.pid. */
    static int port(String postmasterPid) {
        List<String> lines = postmasterPid.lines().toList();
        if (lines.size() <= PORT_LINE) {
            throw CliException.failure("the embedded PostgreSQL's postmaster.pid names no port (" + lines.size()
                    + " lines); is the first control plane's database running?");
        }
        try {
            int port = Integer.parseInt(lines.get(PORT_LINE).strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException("out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw CliException.failure("the embedded PostgreSQL's postmaster.pid has no port on its fourth line: '"
                    + lines.get(PORT_LINE).strip() + "'");
        }
    }

    private static String read(Path file, String what) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw CliException.failure(file + " is over " + MAX_FILE_BYTES
                        + " bytes; not the embedded PostgreSQL's");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.failure("cannot read the first control plane's embedded PostgreSQL (" + what + ", "
                    + file + "): " + e.getMessage() + "; other control planes connect to it (or give all of them "
                    + "--database-url / MM_DATABASE_URL)");
        }
    }
}
