package io.modelmesh.server.observe;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.modelmesh.server.config.ServerFlags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObservabilityTest {
    private static final ServerFlags FLAGS = new ServerFlags("server", Observability.FLAGS).with(List.of(
            ServerFlags.Flag.value("--port", "P", "a server's own flag"),
            ServerFlags.Flag.value("--home", "DIR", "a server's own flag")));

    /** What a server's Main does with its command line. */
    private static Parsed parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = FLAGS.parse(args);
        return new Parsed(Observability.from(flags, env), flags);
    }

    private record Parsed(Observability settings, Map<String, String> flags) {
    }

    @Test
    void defaultsAreJsonFailuresAndSlowRequestsAndNoSpans() {
        Parsed p = parse(new String[]{"--port", "8000"}, Map.of());
        assertEquals(Observability.defaults(), p.settings());
        assertEquals(Duration.ofSeconds(1), p.settings().slowRequest());
        assertEquals(Map.of("--port", "8000"), p.flags(), "the server's own flags are read by its configuration");
    }

    @Test
    void flagsWinOverTheEnvironment() {
        Map<String, String> env = Map.of("MM_LOG_FORMAT", "text", "MM_ACCESS_LOG", "true", "MM_SLOW_REQUEST", "250ms",
                "MM_TRACING_ENDPOINT", "http://127.0.0.1:9411/api/v2/spans");
        Observability fromEnv = parse(new String[0], env).settings();
        assertEquals(new Observability(LogFormat.TEXT, true, Duration.ofMillis(250),
                URI.create("http://127.0.0.1:9411/api/v2/spans")), fromEnv);
        Parsed p = parse(new String[]{"--log-format=json", "--access-log=false",
                "--slow-request", "2s", "--home", "/tmp/x", "--tracing-endpoint", "http://collector:9411/api/v2/spans"},
                env);
        assertEquals(new Observability(LogFormat.JSON, false, Duration.ofSeconds(2),
                URI.create("http://collector:9411/api/v2/spans")), p.settings());
        assertEquals("/tmp/x", p.flags().get("--home"));
        assertTrue(parse(new String[]{"--access-log"}, Map.of()).settings().accessLog(),
                "--access-log alone turns it on");
    }

    @Test
    void badValuesNameTheFlagOrVariable() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(new String[0],
                Map.of("MM_LOG_FORMAT", "xml"))).getMessage().startsWith("MM_LOG_FORMAT must be json or text"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(
                new String[]{"--slow-request", "soon"}, Map.of())).getMessage().startsWith("--slow-request must be"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(
                new String[]{"--tracing-endpoint", "ftp://x"}, Map.of())).getMessage()
                .startsWith("--tracing-endpoint must be a Zipkin collector URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(
                new String[]{"--access-log=maybe"}, Map.of())).getMessage().startsWith("--access-log must be true"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(
                new String[]{"--log-format"}, Map.of())).getMessage().contains("needs a value"));
    }
}
