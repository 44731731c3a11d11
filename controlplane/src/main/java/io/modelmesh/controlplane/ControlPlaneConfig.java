package io.modelmesh.controlplane;

import io.modelmesh.server.config.Settings;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the control plane is configured with, parsed once at start (flags win over environment variables).
 *
 * @param host              interface to bind
 * @param port              port to bind; 0 picks a free one
 * @param home              state directory: {@code artifacts/} and, without a database URL, {@code postgres/}
 * @param databaseUrl       JDBC URL of an external PostgreSQL, or null for the embedded one under {@code home/postgres}
 * @param databaseUser      user for the external database (may be null)
 * @param databasePassword  password for the external database (may be null)
 * @param maxUploadBytes    largest artifact {@code POST /models} accepts
 * @param pushTimeout       how long a deployment waits for nodes to acknowledge a routing table
 * @param heartbeatInterval how often nodes are expected to heartbeat
 * @param nodeDeadAfter     silence after which a node counts as DEAD and is skipped by pushes
 * @param adminToken        bearer token admin-only endpoints ({@code POST /deployments/chaos}) require, or null: the
 *                          control plane then uses {@code HOME/admin-token}, created at first start
 * @param limits            what untrusted input may cost: validation time and memory, allowed frameworks, the store
 *                          quota and free-space margin, the body read timeout
 */
public record ControlPlaneConfig(String host, int port, Path home, String databaseUrl, String databaseUser,
                                 String databasePassword, long maxUploadBytes, Duration pushTimeout,
                                 Duration heartbeatInterval, Duration nodeDeadAfter, String adminToken,
                                 Limits limits) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L * 1024 * 1024 * 1024;
    public static final Duration DEFAULT_PUSH_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

    public static final String USAGE = """
            Usage: controlplane [options]
              --host HOST                interface to bind (default 127.0.0.1)
              --port PORT                port to bind, 0 = any free port (default 8080)
              --home DIR                 state directory [MM_HOME] (default ~/.modelmesh)
              --database-url URL         external PostgreSQL, jdbc:postgresql://... or postgresql://user:pw@host/db
                                         [MM_DATABASE_URL] (default: embedded PostgreSQL under HOME/postgres)
              --database-user USER       [MM_DATABASE_USER]
              --database-password PW     [MM_DATABASE_PASSWORD]
              --max-upload-bytes N       largest accepted artifact, e.g. 2147483648, 512MiB, 2GiB
                                         [MM_MAX_UPLOAD_BYTES] (default 2GiB)
              --admin-token TOKEN        bearer token of admin-only endpoints (chaos) [MM_ADMIN_TOKEN]
                                         (default: HOME/admin-token, created with a random token at first start)
              --validation-timeout D     longest a registration may spend loading and warming its model, in a
                                         child process that is killed at the limit [MM_VALIDATION_TIMEOUT] (10s)
              --validation-memory N      most resident memory that child may reach [MM_VALIDATION_MEMORY] (2GiB)
              --allowed-frameworks LIST  frameworks registration accepts, e.g. onnx,sklearn,pmml (TorchScript is
                                         code: allow it only for trusted publishers) [MM_ALLOWED_FRAMEWORKS] (all)
              --max-store-bytes N        artifact store quota; uploads past it are refused [MM_MAX_STORE_BYTES]
                                         (default: none)
              --min-free-bytes N         free disk space an upload must leave [MM_MIN_FREE_BYTES] (1GiB)
              --read-timeout D           longest a request body may stall [MM_READ_TIMEOUT] (30s)
              --help                     print this help
            """;

    public ControlPlaneConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(pushTimeout, "pushTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(nodeDeadAfter, "nodeDeadAfter");
        limits = limits == null ? Limits.defaults() : limits;
        if (host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, got " + port);
        }
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("--max-upload-bytes must be at least 1, got " + maxUploadBytes);
        }
        requirePositive(pushTimeout, "pushTimeout");
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(nodeDeadAfter, "nodeDeadAfter");
        home = home.toAbsolutePath().normalize();
        databaseUrl = blankToNull(databaseUrl);
        databaseUser = blankToNull(databaseUser);
        databasePassword = blankToNull(databasePassword);
        adminToken = blankToNull(adminToken);
        if (adminToken != null && !adminToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("--admin-token must be printable ASCII without spaces");
        }
    }

    /** Defaults with everything under {@code home}, an ephemeral port and the embedded database: what tests start. */
    public static ControlPlaneConfig forTests(Path home) {
        return new ControlPlaneConfig(DEFAULT_HOST, 0, home, null, null, null, DEFAULT_MAX_UPLOAD_BYTES,
                DEFAULT_PUSH_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3), null,
                Limits.defaults());
    }

    /** Like the record's, with the database password and the admin token left out. */
    @Override
    public String toString() {
        String url = databaseUrl == null ? null : databaseUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
        return "ControlPlaneConfig[host=" + host + ", port=" + port + ", home=" + home + ", databaseUrl=" + url
                + ", databaseUser=" + databaseUser + ", databasePassword=" + (databasePassword == null ? null : "***")
                + ", maxUploadBytes=" + maxUploadBytes + ", pushTimeout=" + pushTimeout + ", heartbeatInterval="
                + heartbeatInterval + ", nodeDeadAfter=" + nodeDeadAfter + ", adminToken="
                + (adminToken == null ? null : "***") + ", limits=" + limits + "]";
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    public ControlPlaneConfig withPort(int p) {
        return new ControlPlaneConfig(host, p, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, limits);
    }

    public ControlPlaneConfig withMaxUploadBytes(long max) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, max,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, limits);
    }

    public ControlPlaneConfig withPushTimeout(Duration timeout) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                timeout, heartbeatInterval, nodeDeadAfter, adminToken, limits);
    }

    public ControlPlaneConfig withDatabase(String url, String user, String password) {
        return new ControlPlaneConfig(host, port, home, url, user, password, maxUploadBytes, pushTimeout,
                heartbeatInterval, nodeDeadAfter, adminToken, limits);
    }

    /** The same with an explicit admin token (null: {@code HOME/admin-token}). */
    public ControlPlaneConfig withAdminToken(String token) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, token, limits);
    }

    /** The same with other limits on untrusted input. */
    public ControlPlaneConfig withLimits(Limits l) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, l);
    }

    /**
     * Parses command-line flags ({@code --flag value} or {@code --flag=value}) over environment variables, as
     * docs/CONTRACTS.md lists them.
     *
     * @throws IllegalArgumentException naming the bad flag and what it accepts
     * @throws HelpRequested            when {@code --help} is given
     */
    public static ControlPlaneConfig fromArgs(String[] args, Map<String, String> env) {
        String host = DEFAULT_HOST;
        String port = null;
        String home = env.get("MM_HOME");
        String dbUrl = env.get("MM_DATABASE_URL");
        String dbUser = env.get("MM_DATABASE_USER");
        String dbPassword = env.get("MM_DATABASE_PASSWORD");
        String maxUpload = env.get("MM_MAX_UPLOAD_BYTES");
        String maxUploadSource = "MM_MAX_UPLOAD_BYTES";
        String adminToken = env.get("MM_ADMIN_TOKEN");
        Map<String, String> limitFlags = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': options start with --");
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("option " + arg + " needs a value");
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = value;
                case "--home" -> home = value;
                case "--database-url" -> dbUrl = value;
                case "--database-user" -> dbUser = value;
                case "--database-password" -> dbPassword = value;
                case "--admin-token" -> adminToken = value;
                case "--max-upload-bytes" -> {
                    maxUpload = value;
                    maxUploadSource = "--max-upload-bytes";
                }
                default -> {
                    if (!Limits.FLAGS.contains(name)) {
                        throw new IllegalArgumentException("unknown option " + name + " (known: --host, --port, "
                                + "--home, --database-url, --database-user, --database-password, --max-upload-bytes, "
                                + "--admin-token, " + String.join(", ", Limits.FLAGS.stream().sorted().toList())
                                + ", --help)");
                    }
                    limitFlags.put(name, value);
                }
            }
        }
        Path homeDir = home == null || home.isBlank() ? defaultHome(env) : Path.of(expandTilde(home, env));
        DatabaseUrl db = DatabaseUrl.parse(blankToNull(dbUrl), blankToNull(dbUser), blankToNull(dbPassword));
        long max = maxUpload == null || maxUpload.isBlank() ? DEFAULT_MAX_UPLOAD_BYTES : parseBytes(maxUpload, maxUploadSource);
        return new ControlPlaneConfig(host, port == null ? DEFAULT_PORT : parsePort(port), homeDir, db.jdbcUrl(),
                db.user(), db.password(), max, DEFAULT_PUSH_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3), adminToken, Limits.parse(limitFlags, env));
    }

    /** Thrown by {@link #fromArgs} for {@code --help}; the caller prints {@link #USAGE}. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--port must be a number between 0 and 65535, got '" + s + "'");
    }

    /** Parses a byte count: digits, optionally followed by K/KB/KiB, M/MB/MiB, G/GB/GiB (all binary multiples). */
    static long parseBytes(String s, String source) {
        return Settings.bytes(s, source);
    }

    private static Path defaultHome(Map<String, String> env) {
        String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(userHome, ".modelmesh");
    }

    private static String expandTilde(String path, Map<String, String> env) {
        if (path.equals("~") || path.startsWith("~/")) {
            return env.getOrDefault("HOME", System.getProperty("user.home")) + path.substring(1);
        }
        return path;
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A database URL in JDBC form with credentials split out; accepts libpq-style {@code postgresql://} URLs too. */
    record DatabaseUrl(String jdbcUrl, String user, String password) {

        static DatabaseUrl parse(String url, String user, String password) {
            if (url == null) {
                return new DatabaseUrl(null, user, password);
            }
            if (url.startsWith("jdbc:postgresql:")) {
                return new DatabaseUrl(url, user, password);
            }
            if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
                URI u;
                try {
                    u = URI.create(url);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--database-url is not a valid URL: " + e.getMessage());
                }
                if (u.getHost() == null) {
                    throw new IllegalArgumentException("--database-url '" + url + "' names no host");
                }
                String u2 = user;
                String p2 = password;
                if (u.getRawUserInfo() != null) {
                    String[] info = u.getRawUserInfo().split(":", 2);
                    u2 = u2 != null ? u2 : URLDecoder.decode(info[0], StandardCharsets.UTF_8);
                    p2 = p2 != null || info.length < 2 ? p2 : URLDecoder.decode(info[1], StandardCharsets.UTF_8);
                }
                String jdbc = "jdbc:postgresql://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
                        + (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/postgres" : u.getRawPath())
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
                return new DatabaseUrl(jdbc, u2, p2);
            }
            throw new IllegalArgumentException("--database-url must start with jdbc:postgresql:// or postgresql://, got '"
                    + url + "'");
        }
    }
}
