package io.modelmesh.controlplane;

import io.modelmesh.server.http.Loopback;
import io.modelmesh.api.security.Redaction;
import io.modelmesh.server.secrets.SecretFile;
import io.modelmesh.server.tls.TlsSettings;
import io.modelmesh.server.config.ServerFlags;
import io.modelmesh.server.config.Settings;
import io.modelmesh.server.observe.Observability;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * @param databasePassword  password for the external database (may be null); never on a command line: it comes from
 *                          {@code --database-password-file}, {@code MM_DATABASE_PASSWORD(_FILE)} or the URL
 * @param maxUploadBytes    largest artifact {@code POST /models} accepts
 * @param pushTimeout       how long a deployment waits for nodes to acknowledge a routing table
 * @param heartbeatInterval how often nodes are expected to heartbeat
 * @param nodeDeadAfter     silence after which a node counts as DEAD and is skipped by pushes
 * @param adminToken        the bootstrap admin token ({@code MM_ADMIN_TOKEN}), or null: the control plane then uses
 *                          {@code HOME/admin-token}, created at first start
 * @param joinToken         the token nodes join with ({@code MM_JOIN_TOKEN}), or null: {@code HOME/join-token}
 * @param corsOrigins       origins allowed to call from a browser ({@code --cors-allowed-origins}); none by default
 * @param publicMetrics     whether {@code GET /metrics} answers without a token (default: when bound to loopback)
 * @param tls               https for the API ({@code --tls-cert/--tls-key}) and the CA bundle pushes to https nodes
 *                          verify them with ({@code --tls-ca})
 * @param limits            what untrusted input may cost: validation time and memory, allowed frameworks, the store
 *                          quota and free-space margin, the body read timeout
 * @param artifactDir       where artifacts are stored ({@code --artifact-dir}; default {@code HOME/artifacts}); every
 *                          control plane of a cluster uses the same one (a shared directory)
 * @param leaseTtl          how long the controller lease lasts without renewal ({@code --lease-ttl}, default 3 s): the
 *                          longest a dead leader keeps it; renewed every third of it
 */
public record ControlPlaneConfig(String host, int port, Path home, String databaseUrl, String databaseUser,
                                 String databasePassword, long maxUploadBytes, Duration pushTimeout,
                                 Duration heartbeatInterval, Duration nodeDeadAfter, String adminToken,
                                 String joinToken, List<String> corsOrigins, boolean publicMetrics,
                                 TlsSettings tls, Limits limits, Path artifactDir, Duration leaseTtl) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 2L * 1024 * 1024 * 1024;
    public static final Duration DEFAULT_PUSH_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(3);


    public ControlPlaneConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(pushTimeout, "pushTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(nodeDeadAfter, "nodeDeadAfter");
        tls = tls == null ? TlsSettings.NONE : tls;
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
            throw new IllegalArgumentException("MM_ADMIN_TOKEN must be printable ASCII without spaces");
        }
        joinToken = blankToNull(joinToken);
        if (joinToken != null && !joinToken.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("MM_JOIN_TOKEN must be printable ASCII without spaces");
        }
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        artifactDir = (artifactDir == null ? home.resolve("artifacts") : artifactDir).toAbsolutePath().normalize();
        leaseTtl = leaseTtl == null ? DEFAULT_LEASE_TTL : leaseTtl;
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0 || leaseTtl.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("--lease-ttl must be between 1s and 1m, got " + leaseTtl.toMillis()
                    + "ms");
        }
    }

    /** Defaults with everything under {@code home}, an ephemeral port and the embedded database: what tests start. */
    public static ControlPlaneConfig forTests(Path home) {
        return new ControlPlaneConfig(DEFAULT_HOST, 0, home, null, null, null, DEFAULT_MAX_UPLOAD_BYTES,
                DEFAULT_PUSH_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3), null, null,
                List.of(), true, TlsSettings.NONE, Limits.defaults(), null, null);
    }

    /** Like the record's, with the database password and the admin token masked and URLs redacted. */
    @Override
    public String toString() {
        return Redaction.record(this);
    }

    public boolean embeddedDatabase() {
        return databaseUrl == null;
    }

    public ControlPlaneConfig withPort(int p) {
        return new ControlPlaneConfig(host, p, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics,
                tls, limits, artifactDir, leaseTtl);
    }

    public ControlPlaneConfig withMaxUploadBytes(long max) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, max,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics,
                tls, limits, artifactDir, leaseTtl);
    }

    public ControlPlaneConfig withPushTimeout(Duration timeout) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                timeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics,
                tls, limits, artifactDir, leaseTtl);
    }

    public ControlPlaneConfig withDatabase(String url, String user, String password) {
        return new ControlPlaneConfig(host, port, home, url, user, password, maxUploadBytes, pushTimeout,
                heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics, tls, limits,
                artifactDir, leaseTtl);
    }

    /** The same with browsers allowed to call from these origins. */
    public ControlPlaneConfig withCorsOrigins(List<String> origins) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, origins, publicMetrics, tls,
                limits, artifactDir, leaseTtl);
    }

    /** The same with {@code GET /metrics} open or behind scope read. */
    public ControlPlaneConfig withPublicMetrics(boolean open) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, open, tls, limits,
                artifactDir, leaseTtl);
    }

    /** The same with an explicit admin token (null: {@code HOME/admin-token}). */
    public ControlPlaneConfig withAdminToken(String token) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, token, joinToken, corsOrigins, publicMetrics,
                tls, limits, artifactDir, leaseTtl);
    }

    /** The same serving https / verifying nodes as {@code settings} says. */
    public ControlPlaneConfig withTls(TlsSettings settings) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics,
                settings, limits, artifactDir, leaseTtl);
    }

    /**
     * What is risky in {@code args} though accepted: a database password inside {@code --database-url}, which every
     * user of the machine can read in {@code ps}. Main prints these to stderr; they name no secret.
     */
    public static java.util.List<String> commandLineWarnings(String[] args) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = null;
            if (args[i].equals("--database-url") && i + 1 < args.length) {
                value = args[i + 1];
            } else if (args[i].startsWith("--database-url=")) {
                value = args[i].substring("--database-url=".length());
            }
            if (value != null && !Redaction.url(value).equals(value)) {
                warnings.add("--database-url carries a password, which every user of this machine can read in the "
                        + "process list; pass the URL in MM_DATABASE_URL, or the password in --database-password-file "
                        + "or MM_DATABASE_PASSWORD");
            }
        }
        return warnings;

    }

    /** The same with another artifact directory (several control planes sharing one). */
    public ControlPlaneConfig withArtifactDir(Path dir) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics, tls,
                limits, dir, leaseTtl);
    }

    /** The same with a join token given (null: {@code HOME/join-token}). */
    public ControlPlaneConfig withJoinToken(String token) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, token, corsOrigins, publicMetrics, tls,
                limits, artifactDir, leaseTtl);
    }

    /** The same with another controller lease duration. */
    public ControlPlaneConfig withLeaseTtl(Duration ttl) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics, tls,
                limits, artifactDir, ttl);
    }

    /** The same with other limits on untrusted input. */
    public ControlPlaneConfig withLimits(Limits l) {
        return new ControlPlaneConfig(host, port, home, databaseUrl, databaseUser, databasePassword, maxUploadBytes,
                pushTimeout, heartbeatInterval, nodeDeadAfter, adminToken, joinToken, corsOrigins, publicMetrics, tls,
                l, artifactDir, leaseTtl);
    }

    private static ServerFlags.Flag flag(String name, String label, String description) {
        return ServerFlags.Flag.value(name, label, description);
    }

    /** Flags that are refused, saying why (a secret on a command line is visible to every user: ps). */
    private static ServerFlags.Flag refused(String name) {
        return new ServerFlags.Flag(name, ServerFlags.Arity.OPTIONAL, "X", "refused: secrets never go on the command "
                + "line");
    }

    /** The control plane's command line (picocli, shared with the data plane through {@link ServerFlags}). */
    public static final ServerFlags FLAGS = new ServerFlags("controlplane", List.of(
            flag("--host", "HOST", "interface to bind (default 127.0.0.1)"),
            flag("--port", "PORT", "port to bind, 0 = any free port (default 8080)"),
            flag("--home", "DIR", "state directory [MM_HOME] (default ~/.modelmesh)"),
            flag("--database-url", "URL", "external PostgreSQL, jdbc:postgresql://... or postgresql://user@host/db "
                    + "[MM_DATABASE_URL] (default: embedded PostgreSQL under HOME/postgres)"),
            flag("--database-user", "USER", "[MM_DATABASE_USER]"),
            flag("--database-password-file", "FILE", "file whose first line is the database password "
                    + "[MM_DATABASE_PASSWORD_FILE; or the password itself in MM_DATABASE_PASSWORD]"),
            flag("--max-upload-bytes", "N", "largest accepted artifact, e.g. 512MiB, 2GiB [MM_MAX_UPLOAD_BYTES] "
                    + "(2GiB)"),
            flag("--cors-allowed-origins", "O,..", "origins a browser may call from [MM_CORS_ALLOWED_ORIGINS] "
                    + "(none)"),
            flag("--public-metrics", "true|false", "serve /metrics without a token [MM_PUBLIC_METRICS] (default: true "
                    + "when bound to loopback)"),
            flag("--tls-cert", "FILE", "serve https with this PEM certificate chain [MM_TLS_CERT]"),
            flag("--tls-key", "FILE", "its PEM private key [MM_TLS_KEY]"),
            flag("--tls-ca", "FILE", "PEM CA bundle https nodes are verified with [MM_TLS_CA] (default: the JDK's)"),
            flag("--validation-timeout", "D", "longest a registration may load and warm its model, in a child "
                    + "process killed at the limit [MM_VALIDATION_TIMEOUT] (30s)"),
            flag("--validation-memory", "N", "most resident memory that child may reach [MM_VALIDATION_MEMORY] "
                    + "(2GiB)"),
            flag("--allowed-frameworks", "LIST", "frameworks registration accepts, e.g. onnx,sklearn,pmml "
                    + "[MM_ALLOWED_FRAMEWORKS] (all)"),
            flag("--max-store-bytes", "N", "artifact store quota [MM_MAX_STORE_BYTES] (none)"),
            flag("--min-free-bytes", "N", "free disk space an upload must leave [MM_MIN_FREE_BYTES] (1GiB)"),
            flag("--read-timeout", "D", "longest a request body may stall [MM_READ_TIMEOUT] (30s)"),
            flag("--artifact-dir", "DIR", "artifact store [MM_ARTIFACT_DIR] (HOME/artifacts); shared by every "
                    + "control plane on one database"),
            flag("--lease-ttl", "D", "how long the rollout controller's lease outlives its holder [MM_LEASE_TTL] "
                    + "(3s)"),
            refused("--database-password"), refused("--admin-token"), refused("--join-token")))
            .with(Observability.FLAGS);

    /** What {@code controlplane --help} prints: picocli's usage of {@link #FLAGS}, then where secrets go. */
    public static String usage() {
        return FLAGS.usage() + """

                Secrets never go on the command line (ps shows it to every user): the bootstrap admin token is
                MM_ADMIN_TOKEN or HOME/admin-token, the token nodes join with MM_JOIN_TOKEN or HOME/join-token (both
                created at first start when absent); pass the database password in a file or the environment (a
                password inside --database-url is accepted with a warning: use MM_DATABASE_URL).
                """;
    }

    /**
     * Parses command-line flags ({@code --flag value} or {@code --flag=value}, by {@link #FLAGS}) over environment
     * variables, as docs/CONTRACTS.md lists them.
     *
     * @throws IllegalArgumentException naming the bad flag and what it accepts
     * @throws HelpRequested            when {@code --help} is given
     */
    public static ControlPlaneConfig fromArgs(String[] args, Map<String, String> env) {
        try {
            return fromFlags(FLAGS.parse(args), env);
        } catch (ServerFlags.HelpRequested help) {
            throw new HelpRequested();
        }
    }

    /** The configuration from flags already parsed by {@link #FLAGS}, over environment variables. */
    public static ControlPlaneConfig fromFlags(Map<String, String> flags, Map<String, String> env) {
        if (flags.containsKey("--database-password")) {
            throw new IllegalArgumentException("--database-password is not accepted: every user of this machine "
                    + "could read it in the process list; put the password in a file (mode 600) and pass "
                    + "--database-password-file FILE, or set MM_DATABASE_PASSWORD");
        }
        for (String name : List.of("--admin-token", "--join-token")) {
            if (flags.containsKey(name)) {
                throw new IllegalArgumentException(name + " is not accepted: a token on the command line is visible "
                        + "to every user of the machine (ps); set " + (name.equals("--admin-token")
                        ? "MM_ADMIN_TOKEN or write it to HOME/admin-token"
                        : "MM_JOIN_TOKEN or write it to HOME/join-token"));
            }
        }
        String host = flags.getOrDefault("--host", DEFAULT_HOST);
        String port = flags.get("--port");
        String home = flags.getOrDefault("--home", env.get("MM_HOME"));
        String dbUrl = flags.getOrDefault("--database-url", env.get("MM_DATABASE_URL"));
        String dbUser = flags.getOrDefault("--database-user", env.get("MM_DATABASE_USER"));
        String dbPassword = env.get("MM_DATABASE_PASSWORD");
        String dbPasswordFile = flags.getOrDefault("--database-password-file", env.get("MM_DATABASE_PASSWORD_FILE"));
        String dbPasswordFileSource = flags.containsKey("--database-password-file") ? "--database-password-file"
                : "MM_DATABASE_PASSWORD_FILE";
        String maxUpload = flags.getOrDefault("--max-upload-bytes", env.get("MM_MAX_UPLOAD_BYTES"));
        String maxUploadSource = flags.containsKey("--max-upload-bytes") ? "--max-upload-bytes"
                : "MM_MAX_UPLOAD_BYTES";
        String cors = flags.getOrDefault("--cors-allowed-origins", env.get("MM_CORS_ALLOWED_ORIGINS"));
        String publicMetrics = flags.getOrDefault("--public-metrics", env.get("MM_PUBLIC_METRICS"));
        String artifactDir = flags.getOrDefault("--artifact-dir", env.get("MM_ARTIFACT_DIR"));
        String leaseTtl = flags.getOrDefault("--lease-ttl", env.get("MM_LEASE_TTL"));
        String leaseTtlSource = flags.containsKey("--lease-ttl") ? "--lease-ttl" : "MM_LEASE_TTL";
        Map<String, String> limitFlags = new java.util.HashMap<>(flags);
        limitFlags.keySet().retainAll(Limits.FLAGS);
        Path homeDir = home == null || home.isBlank() ? defaultHome(env) : Path.of(expandTilde(home, env));
        if (blankToNull(dbPasswordFile) != null) {
            dbPassword = SecretFile.read(Path.of(expandTilde(dbPasswordFile.trim(), env)), dbPasswordFileSource);
        }
        DatabaseUrl db = DatabaseUrl.parse(blankToNull(dbUrl), blankToNull(dbUser), blankToNull(dbPassword));
        long max = maxUpload == null || maxUpload.isBlank() ? DEFAULT_MAX_UPLOAD_BYTES
                : parseBytes(maxUpload, maxUploadSource);
        return new ControlPlaneConfig(host, port == null ? DEFAULT_PORT : parsePort(port), homeDir, db.jdbcUrl(),
                db.user(), db.password(), max, DEFAULT_PUSH_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_HEARTBEAT_INTERVAL.multipliedBy(3), env.get("MM_ADMIN_TOKEN"), env.get("MM_JOIN_TOKEN"),
                splitList(cors), publicMetrics == null || publicMetrics.isBlank() ? Loopback.is(host)
                        : parseBoolean(publicMetrics, "--public-metrics"),
                TlsSettings.of(flags.get("--tls-cert"), flags.get("--tls-key"), flags.get("--tls-ca"), env),
                Limits.parse(limitFlags, env), artifactDir == null || artifactDir.isBlank() ? null
                        : Path.of(expandTilde(artifactDir.trim(), env)), leaseTtl == null || leaseTtl.isBlank() ? null
                        : Settings.duration(leaseTtl, leaseTtlSource));
    }

    static List<String> splitList(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    static boolean parseBoolean(String v, String option) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(option + " must be true or false, got '" + v + "'");
        };
    }

    /** Thrown by {@link #fromArgs} for {@code --help}; the caller prints {@link #usage()}. */
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

    /**
     * A database URL in JDBC form with credentials split out, so the URL kept, connected to and printed holds no
     * secret: the user info of a libpq-style {@code postgresql://user:pw@host/db} URL and the {@code user} and
     * {@code password} parameters of a JDBC URL become the user and password (explicitly given ones win).
     */
    record DatabaseUrl(String jdbcUrl, String user, String password) {

        static DatabaseUrl parse(String url, String user, String password) {
            if (url == null) {
                return new DatabaseUrl(null, user, password);
            }
            if (url.startsWith("jdbc:postgresql:")) {
                return withoutQueryCredentials(url, user, password);
            }
            if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
                URI u;
                try {
                    u = new URI(url);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("--database-url is not a valid URL: " + e.getReason()
                            + " at index " + e.getIndex() + " of " + Redaction.url(url));
                }
                if (u.getHost() == null) {
                    throw new IllegalArgumentException("--database-url '" + Redaction.url(url) + "' names no host");
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
                return withoutQueryCredentials(jdbc, u2, p2);
            }
            throw new IllegalArgumentException("--database-url must start with jdbc:postgresql:// or postgresql://, got '"
                    + Redaction.url(url) + "'");
        }

        /** Moves {@code user=} and {@code password=} out of a JDBC URL's query. */
        private static DatabaseUrl withoutQueryCredentials(String jdbc, String user, String password) {
            int q = jdbc.indexOf('?');
            if (q < 0) {
                return new DatabaseUrl(jdbc, user, password);
            }
            String u2 = user;
            String p2 = password;
            java.util.List<String> kept = new java.util.ArrayList<>();
            for (String param : jdbc.substring(q + 1).split("&")) {
                int eq = param.indexOf('=');
                String name = (eq < 0 ? param : param.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
                if (name.equals("password")) {
                    p2 = p2 != null ? p2 : value;
                } else if (name.equals("user")) {
                    u2 = u2 != null ? u2 : value;
                } else if (!param.isEmpty()) {
                    kept.add(param);
                }
            }
            String base = jdbc.substring(0, q);
            return new DatabaseUrl(kept.isEmpty() ? base : base + "?" + String.join("&", kept), u2, p2);
        }
    }
}
