package io.modelmesh.server.observe;

import io.modelmesh.api.security.Redaction;
import io.modelmesh.server.config.ServerFlags;
import io.modelmesh.server.config.Settings;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a server logs and traces, the same for both servers (flag over environment variable, parsed by
 * {@link Settings}):
 *
 * @param logFormat        {@code --log-format} / {@code MM_LOG_FORMAT}: json (default) or text
 * @param accessLog        {@code --access-log} / {@code MM_ACCESS_LOG}: log every request, not only failures and slow
 *                         ones (off by default: it costs throughput, see docs/benchmark_results.md)
 * @param slowRequest      {@code --slow-request} / {@code MM_SLOW_REQUEST}: a request that takes at least this long is
 *                         logged (default 1s)
 * @param tracingEndpoint  {@code --tracing-endpoint} / {@code MM_TRACING_ENDPOINT}: a Zipkin collector's span intake
 *                         ({@code http://host:9411/api/v2/spans}); null (the default) exports nothing
 */
public record Observability(LogFormat logFormat, boolean accessLog, Duration slowRequest, URI tracingEndpoint) {
    public static final Duration DEFAULT_SLOW_REQUEST = Duration.ofSeconds(1);
    /** Its flags, on both servers' command lines ({@link ServerFlags}). */
    public static final List<ServerFlags.Flag> FLAGS = List.of(
            ServerFlags.Flag.value("--log-format", "json|text",
                    "log lines as JSON objects or plain text [MM_LOG_FORMAT] (json)"),
            new ServerFlags.Flag("--access-log", ServerFlags.Arity.OPTIONAL, "true|false",
                    "log every request, not only 4xx/5xx and slow ones [MM_ACCESS_LOG] (false)"),
            ServerFlags.Flag.value("--slow-request", "D", "requests at least this slow are logged [MM_SLOW_REQUEST] "
                    + "(1s)"),
            ServerFlags.Flag.value("--tracing-endpoint", "URL", "export spans to this Zipkin collector, e.g. "
                    + "http://127.0.0.1:9411/api/v2/spans [MM_TRACING_ENDPOINT] (none)"));

    public Observability {
        logFormat = logFormat == null ? LogFormat.JSON : logFormat;
        slowRequest = slowRequest == null ? DEFAULT_SLOW_REQUEST : slowRequest;
    }

    /** JSON logs, failures and slow requests only, no spans: what a server without settings does. */
    public static Observability defaults() {
        return new Observability(LogFormat.JSON, false, DEFAULT_SLOW_REQUEST, null);
    }

    public Observability withAccessLog(boolean on) {
        return new Observability(logFormat, on, slowRequest, tracingEndpoint);
    }

    public Observability withTracingEndpoint(URI endpoint) {
        return new Observability(logFormat, accessLog, slowRequest, endpoint);
    }

    public Observability withSlowRequest(Duration threshold) {
        return new Observability(logFormat, accessLog, threshold, tracingEndpoint);
    }

    /**
     * These settings from the flags given ({@link ServerFlags#parse}) over the environment.
     *
     * @throws IllegalArgumentException naming the flag or variable and what it accepts
     */
    public static Observability from(Map<String, String> flags, Map<String, String> env) {
        return new Observability(
                Settings.flagOrEnv(flags, env, "--log-format", "MM_LOG_FORMAT", LogFormat.JSON, LogFormat::parse),
                Settings.flagOrEnv(flags, env, "--access-log", "MM_ACCESS_LOG", false, Settings::bool),
                Settings.flagOrEnv(flags, env, "--slow-request", "MM_SLOW_REQUEST", DEFAULT_SLOW_REQUEST,
                        Settings::duration),
                Settings.flagOrEnv(flags, env, "--tracing-endpoint", "MM_TRACING_ENDPOINT", null,
                        Observability::endpoint));
    }

    static URI endpoint(String text, String source) {
        try {
            URI u = URI.create(text.trim());
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(source + " must be a Zipkin collector URL such as "
                + "http://127.0.0.1:9411/api/v2/spans, got '" + Redaction.url(text) + "'");
    }
}
