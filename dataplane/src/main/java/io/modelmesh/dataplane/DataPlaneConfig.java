package io.modelmesh.dataplane;

import io.modelmesh.server.http.Loopback;
import io.modelmesh.api.security.Redaction;
import io.modelmesh.server.config.ServerFlags;
import io.modelmesh.server.config.Settings;
import io.modelmesh.server.observe.Observability;
import io.modelmesh.server.tls.TlsSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Data-plane settings, parsed once at start.
 *
 * @param host              interface to bind
 * @param port              port to bind (0: any free port)
 * @param controlPlane      control-plane base URLs, in order of preference (several control planes of one cluster:
 *                          the node fails over between them); the only places artifacts are ever downloaded from
 * @param home              MM_HOME; node state lives under home/nodes/nodeId
 * @param nodeId            stable node id (survives restarts; names the state directory)
 * @param advertisedUrl     URL the control plane pushes to (null: http://host:port once bound)
 * @param heartbeatInterval how often the node heartbeats (and catches up when behind)
 * @param maxRequestBytes   largest accepted request body
 * @param maxBatchRows      most rows accepted in one request
 * @param echoRoute         mount {@code POST /echo} (a bare route that benchmarks compare against)
 * @param engineThreads     threads one inference call may use
 * @param batchWorkers      worker slots per batched model version (engine calls that may run at once for it)
 * @param redisUrl          shared prediction cache ({@code redis://host:port[/db]}), or null for the in-process one
 * @param reportInterval    how often the node sends its outcome report ({@code --report-interval} /
 *                          {@code MM_REPORT_INTERVAL}: milliseconds, or a duration like {@code 1s}, {@code 500ms};
 *                          default 1 s)
 * @param shadowQueue       capacity of the shadow queue ({@code MM_SHADOW_QUEUE}, default 1024); a full queue drops
 * @param joinToken         the token the node joins its control plane with ({@code MM_JOIN_TOKEN}), or null to read
 *                          {@code joinTokenFile} at each attempt
 * @param joinTokenFile     where the join token is when not given ({@code --join-token-file}, default
 *                          {@code HOME/join-token}, which a control plane on the same home writes)
 * @param anonymousPredict  whether predictions need no token ({@code --allow-anonymous-predict}; default: only when
 *                          bound to loopback)
 * @param corsOrigins       origins a browser may call from ({@code --cors-allowed-origins}); none by default
 * @param publicMetrics     whether {@code GET /metrics} answers without a token (default: when bound to loopback)
 * @param tls               https for this node ({@code --tls-cert/--tls-key}, advertised as an https URL) and the CA
 *                          bundle it verifies an https control plane with ({@code --tls-ca})
 * @param limits            what untrusted input may cost the node: artifact validation, allowed frameworks, the
 *                          preparation time limit, body read timeout and bytes in flight
 * @param serving           admission defaults for policies that leave them to the node, and the drain timeout
 */
public record DataPlaneConfig(String host, int port, List<URI> controlPlane, Path home, String nodeId,
                              String advertisedUrl,
                              Duration heartbeatInterval, long maxRequestBytes, int maxBatchRows, boolean echoRoute,
                              int engineThreads, int batchWorkers, String redisUrl, Duration reportInterval,
                              int shadowQueue, String joinToken, Path joinTokenFile, boolean anonymousPredict,
                              List<String> corsOrigins, boolean publicMetrics, TlsSettings tls, NodeLimits limits,
                              ServingDefaults serving) {

    public DataPlaneConfig {
        limits = limits == null ? NodeLimits.defaults() : limits;
        serving = serving == null ? ServingDefaults.defaults() : serving;
        if (controlPlane == null || controlPlane.isEmpty()) {
            throw new IllegalArgumentException("--control-plane needs at least one URL");
        }
        controlPlane = List.copyOf(controlPlane);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("--node-id must be 1-63 letters, digits, '.', '_' or '-', got " + nodeId);
        }
        if (batchWorkers < 1) {
            throw new IllegalArgumentException("--batch-workers must be >= 1, got " + batchWorkers);
        }
        if (reportInterval == null || reportInterval.toMillis() < 1) {
            throw new IllegalArgumentException("--report-interval must be at least 1ms, got " + reportInterval);
        }
        if (shadowQueue < 1) {
            throw new IllegalArgumentException("MM_SHADOW_QUEUE must be >= 1, got " + shadowQueue);
        }
        if (redisUrl != null && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new IllegalArgumentException("--redis-url must be redis://host:port[/db], got "
                    + Redaction.url(redisUrl));
        }
        joinToken = joinToken == null || joinToken.isBlank() ? null : joinToken.trim();
        joinTokenFile = joinTokenFile == null ? home.resolve("join-token") : joinTokenFile;
        corsOrigins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
        tls = tls == null ? TlsSettings.NONE : tls;
    }

    /** Like the record's, with URLs (a Redis password) redacted. */
    @Override
    public String toString() {
        return Redaction.record(this);
    }

    /** The same serving https / verifying the control plane as {@code settings} says. */
    public DataPlaneConfig withTls(TlsSettings settings) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval,
                shadowQueue, joinToken, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, settings,
                limits, serving);
    }

    /**
     * What is risky in {@code args} though accepted: a password inside {@code --redis-url}, which every user of the
     * machine can read in {@code ps}. Main prints these to stderr; they name no secret.
     */
    public static java.util.List<String> commandLineWarnings(String[] args) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--redis-url") && !Redaction.url(args[i + 1]).equals(args[i + 1])) {
                warnings.add("--redis-url carries a password, which every user of this machine can read in the "
                        + "process list; pass the URL in MM_REDIS_URL instead");
            }
        }
        return warnings;
    }

    /** State directory of this node. */
    public Path nodeDir() {
        return home.resolve("nodes").resolve(nodeId);
    }

    /** Ephemeral port, fast heartbeats, everything under {@code home}. */
    public static DataPlaneConfig forTests(URI controlPlane, Path home) {
        return forTests(List.of(controlPlane), home);
    }

    /** The same with several control planes (of one cluster), in order of preference. */
    public static DataPlaneConfig forTests(List<URI> controlPlanes, Path home) {
        return new DataPlaneConfig("127.0.0.1", 0, controlPlanes, home, "node-test", null, Duration.ofMillis(200),
                16 << 20, 10_000, true, 1, 2, null, Duration.ofSeconds(1), 1024, null, null, true, List.of(), true,
                TlsSettings.NONE, NodeLimits.defaults(), ServingDefaults.defaults());
    }

    /** Same settings with the prediction cache in Redis. */
    public DataPlaneConfig withRedisUrl(String url) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, url, reportInterval, shadowQueue,
                joinToken, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, tls, limits, serving);
    }

    /** Same settings with another node id (several nodes in one test). */
    public DataPlaneConfig withNodeId(String id) {
        return new DataPlaneConfig(host, port, controlPlane, home, id, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval, shadowQueue,
                joinToken, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, tls, limits, serving);
    }

    /** Same settings on a fixed port (restart tests reuse the port the control plane knows). */
    public DataPlaneConfig withPort(int p) {
        return new DataPlaneConfig(host, p, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval, shadowQueue,
                joinToken, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, tls, limits, serving);
    }

    /** Same settings with another report interval (tests use a short one, or tick by hand). */
    public DataPlaneConfig withReportInterval(Duration d) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, d, shadowQueue,
                joinToken, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, tls, limits, serving);
    }

    /** Same settings with another shadow queue capacity. */
    public DataPlaneConfig withShadowQueue(int capacity) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval,
                capacity, joinToken, joinTokenFile, anonymousPredict, corsOrigins,
                publicMetrics, tls, limits, serving);
    }

    /** Same settings with a join token given (null: the file). */
    public DataPlaneConfig withJoinToken(String token) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval,
                shadowQueue, token, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, tls, limits, serving);
    }

    /** Same settings, with {@code GET /metrics} open or behind scope read. */
    public DataPlaneConfig withPublicMetrics(boolean open) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval,
                shadowQueue, joinToken, joinTokenFile, anonymousPredict, corsOrigins, open, tls, limits, serving);
    }

    /** Same settings, with predictions open to callers without a token or not. */
    public DataPlaneConfig withAnonymousPredict(boolean allowed) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval,
                shadowQueue, joinToken, joinTokenFile, allowed, corsOrigins, publicMetrics, tls, limits, serving);
    }

    /** Same settings with other limits on untrusted input. */
    public DataPlaneConfig withLimits(NodeLimits l) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval,
                shadowQueue, joinToken, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, tls, l, serving);
    }

    /** Same settings with other serving defaults (admission, drain). */
    public DataPlaneConfig withServing(ServingDefaults defaults) {
        return new DataPlaneConfig(host, port, controlPlane, home, nodeId, advertisedUrl, heartbeatInterval,
                maxRequestBytes, maxBatchRows, echoRoute, engineThreads, batchWorkers, redisUrl, reportInterval,
                shadowQueue, joinToken, joinTokenFile, anonymousPredict, corsOrigins, publicMetrics, tls, limits,
                defaults);
    }

    private static ServerFlags.Flag flag(String name, String label, String description) {
        return ServerFlags.Flag.value(name, label, description);
    }

    /** The node's command line (picocli, shared with the control plane through {@link ServerFlags}). */
    public static final ServerFlags FLAGS = new ServerFlags("dataplane", List.of(
            flag("--host", "HOST", "interface to bind (default 127.0.0.1)"),
            flag("--port", "PORT", "port to bind, 0 = any free port (default 8000)"),
            flag("--control-plane", "URL[,URL...]", "control-plane URLs, in order of preference [MM_CONTROL_PLANE] "
                    + "(http://127.0.0.1:8080)"),
            flag("--home", "DIR", "state directory [MM_HOME] (default ~/.modelmesh)"),
            flag("--node-id", "ID", "stable node id (default node-PORT)"),
            flag("--advertise-url", "URL", "URL the control plane reaches this node at (default http://HOST:PORT)"),
            flag("--engine-threads", "N", "threads one inference call may use [MM_ENGINE_THREADS] (1)"),
            flag("--batch-workers", "N", "engine calls that may run at once for one batched version "
                    + "[MM_BATCH_WORKERS] (2)"),
            flag("--redis-url", "redis://H:P", "shared prediction cache [MM_REDIS_URL; a URL with a password belongs "
                    + "there] (in-process cache)"),
            flag("--report-interval", "D", "how often outcome reports are sent [MM_REPORT_INTERVAL] (1s)"),
            new ServerFlags.Flag("--echo-route", ServerFlags.Arity.NONE, null, "mount POST /echo (for benchmarks)"),
            flag("--tls-cert", "FILE", "serve https with this PEM certificate chain [MM_TLS_CERT]"),
            flag("--tls-key", "FILE", "its PEM private key [MM_TLS_KEY]"),
            flag("--tls-ca", "FILE", "PEM CA bundle the control plane is verified with [MM_TLS_CA]"),
            flag("--join-token-file", "FILE", "the token to join with (default HOME/join-token; or MM_JOIN_TOKEN)"),
            new ServerFlags.Flag("--join-token", ServerFlags.Arity.OPTIONAL, "X", "refused: use MM_JOIN_TOKEN or "
                    + "--join-token-file"),
            new ServerFlags.Flag("--allow-anonymous-predict", ServerFlags.Arity.OPTIONAL, "true|false",
                    "predictions without a token (default: only when bound to loopback)"),
            flag("--cors-allowed-origins", "O,..", "origins a browser may call from [MM_CORS_ALLOWED_ORIGINS]"),
            flag("--public-metrics", "true|false", "serve /metrics without a token [MM_PUBLIC_METRICS] (default: "
                    + "true when bound to loopback)"),
            flag("--validation-timeout", "D", "longest a new artifact's validation may take [MM_VALIDATION_TIMEOUT] "
                    + "(30s)"),
            flag("--validation-memory", "N", "most memory that validation may use [MM_VALIDATION_MEMORY] (2GiB)"),
            flag("--allowed-frameworks", "LIST", "frameworks the node loads [MM_ALLOWED_FRAMEWORKS] (all)"),
            flag("--prepare-timeout", "D", "longest one artifact's download, validation, load and warm-up "
                    + "[MM_PREPARE_TIMEOUT] (60s)"),
            flag("--read-timeout", "D", "longest a request body may stall [MM_READ_TIMEOUT] (30s)"),
            flag("--max-inflight-bytes", "N", "request-body bytes held at once [MM_MAX_INFLIGHT_BYTES] (64MiB)"),
            flag("--max-concurrency", "N", "default admission concurrency [MM_MAX_CONCURRENCY]"),
            flag("--max-queue", "N", "default admission queue [MM_MAX_QUEUE]"),
            flag("--request-timeout", "D", "default request deadline [MM_REQUEST_TIMEOUT] (5s)"),
            flag("--drain-timeout", "D", "on SIGTERM, how long requests in flight may take [MM_DRAIN_TIMEOUT] "
                    + "(25s)")))
            .with(Observability.FLAGS);

    /**
     * Parses command-line flags ({@code --flag value} or {@code --flag=value}, by {@link #FLAGS}) over environment
     * defaults.
     *
     * @throws IllegalArgumentException naming the bad flag
     * @throws ServerFlags.HelpRequested for {@code --help}
     */
    public static DataPlaneConfig fromArgs(String[] args, Map<String, String> env) {
        return fromFlags(FLAGS.parse(args), env);
    }

    /** The configuration from flags already parsed by {@link #FLAGS}, over environment defaults. */
    public static DataPlaneConfig fromFlags(Map<String, String> flags, Map<String, String> env) {
        if (flags.containsKey("--join-token")) {
            throw new IllegalArgumentException("--join-token is not accepted: a token on the command line is visible "
                    + "to every user of the machine (ps); set MM_JOIN_TOKEN or use --join-token-file FILE");
        }
        String host = flags.getOrDefault("--host", "127.0.0.1");
        int port = flags.containsKey("--port") ? intValue(flags, "--port") : 8000;
        String cp = flags.getOrDefault("--control-plane", env.getOrDefault("MM_CONTROL_PLANE",
                "http://127.0.0.1:8080"));
        String home = flags.getOrDefault("--home", env.getOrDefault("MM_HOME",
                System.getProperty("user.home") + "/.modelmesh"));
        String nodeId = flags.get("--node-id");
        int threads = flags.containsKey("--engine-threads") ? intValue(flags, "--engine-threads")
                : envInt(env, "MM_ENGINE_THREADS", 1);
        int batchWorkers = flags.containsKey("--batch-workers") ? intValue(flags, "--batch-workers")
                : envInt(env, "MM_BATCH_WORKERS", 2);
        String redis = flags.containsKey("--redis-url") ? flags.get("--redis-url") : env.get("MM_REDIS_URL");
        redis = redis == null || redis.isBlank() ? null : redis.trim();
        Duration report = flags.containsKey("--report-interval")
                ? duration(flags.get("--report-interval"), "--report-interval")
                : duration(env.getOrDefault("MM_REPORT_INTERVAL", "1s"), "MM_REPORT_INTERVAL");
        int shadowQueue = envInt(env, "MM_SHADOW_QUEUE", 1024);
        Boolean anonymous = null;
        if (flags.containsKey("--allow-anonymous-predict")) {
            String v = flags.get("--allow-anonymous-predict").trim();
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("--allow-anonymous-predict takes true or false, got '" + v + "'");
            }
            anonymous = Boolean.parseBoolean(v);
        }
        String cors = flags.getOrDefault("--cors-allowed-origins", env.get("MM_CORS_ALLOWED_ORIGINS"));
        String publicMetrics = flags.getOrDefault("--public-metrics", env.get("MM_PUBLIC_METRICS"));
        Map<String, String> limitFlags = new java.util.HashMap<>(flags);
        limitFlags.keySet().retainAll(java.util.stream.Stream.concat(NodeLimits.FLAGS.stream(),
                ServingDefaults.FLAGS.stream()).toList());
        List<URI> cpUris = controlPlanes(cp);
        boolean loopback = Loopback.is(host);
        String joinTokenFile = flags.get("--join-token-file");
        return new DataPlaneConfig(host, port, cpUris, Path.of(home), nodeId == null ? "node-" + port : nodeId,
                flags.get("--advertise-url"),
                Duration.ofSeconds(2), 16 << 20, 10_000, flags.containsKey("--echo-route"), threads, batchWorkers,
                redis, report, shadowQueue, env.get("MM_JOIN_TOKEN"),
                joinTokenFile == null ? null : Path.of(joinTokenFile), anonymous != null ? anonymous : loopback,
                cors == null || cors.isBlank() ? List.of()
                        : java.util.Arrays.stream(cors.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList(),
                publicMetrics == null || publicMetrics.isBlank() ? loopback : Boolean.parseBoolean(publicMetrics.trim()),
                TlsSettings.of(flags.get("--tls-cert"), flags.get("--tls-key"), flags.get("--tls-ca"), env),
                NodeLimits.parse(limitFlags, env), ServingDefaults.parse(limitFlags, env));
    }

    /** Comma-separated http(s) base URLs, at most {@link #MAX_CONTROL_PLANES}. */
    static List<URI> controlPlanes(String text) {
        List<URI> out = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            String cp = part.trim();
            if (cp.isEmpty()) {
                continue;
            }
            URI u;
            try {
                u = URI.create(cp.endsWith("/") ? cp.substring(0, cp.length() - 1) : cp);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--control-plane '" + Redaction.url(cp) + "' is not a URL");
            }
            if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("--control-plane must be http(s) URLs separated by commas, got "
                        + Redaction.url(cp));
            }
            out.add(u);
        }
        if (out.isEmpty() || out.size() > MAX_CONTROL_PLANES) {
            throw new IllegalArgumentException("--control-plane takes 1 to " + MAX_CONTROL_PLANES + " URLs separated "
                    + "by commas, got " + out.size());
        }
        return out;
    }

    /** More control planes than one cluster runs. */
    static final int MAX_CONTROL_PLANES = 16;

    /**
     * A duration in the platform's grammar ({@code 250ms}, {@code 2s}; {@link Settings#duration}), or, as this flag
     * always took, a bare number of milliseconds.
     */
    static Duration duration(String v, String flag) {
        String t = v.trim();
        if (!t.isEmpty() && t.length() <= 12 && t.chars().allMatch(Character::isDigit)) {
            return Duration.ofMillis(Long.parseLong(t));
        }
        return Settings.duration(t, flag);
    }

    private static int envInt(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v + "'");
        }
    }

    private static int intValue(Map<String, String> flags, String flag) {
        String v = flags.get(flag);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, got '" + v + "'");
        }
    }
}
