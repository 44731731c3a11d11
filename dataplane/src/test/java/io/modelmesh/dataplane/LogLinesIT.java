package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node process as {@code mmctl up} starts it: its standard error is one JSON object per line by default
 * ({@code MM_LOG_FORMAT}), Helidon's own records included, and plain text when asked; no token reaches it.
 */
class LogLinesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SECRET = "mm_not-for-logs-7f3a9c";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;

    private Process start(Map<String, String> env, Path out, Path err, String... flags) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), "io.modelmesh.dataplane.Main", "--port", "0",
                "--control-plane", unreachable(), "--home", home.toString(), "--node-id", "node-logs"));
        command.addAll(List.of(flags));
        Path argfile = home.resolve("java.args"); // the class path is long; onnxruntime dislikes long command lines
        Files.writeString(argfile, String.join("\n", command.subList(1, command.size()).stream()
                .map(a -> "\"" + a.replace("\\", "\\\\") + "\"").toList()));
        ProcessBuilder pb = new ProcessBuilder(command.getFirst(), "@" + argfile).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        pb.environment().put("MM_JOIN_TOKEN", SECRET);
        return pb.start();
    }

    @Test
    void jsonByDefaultWithRequestLinesAndNoSecret() throws Exception {
        Path out = home.resolve("out.log");
        Path err = home.resolve("err.log");
        Process p = start(Map.of(), out, err, "--access-log");
        try {
            URI node = readyUri(out, p);
            HttpRequest health = HttpRequest.newBuilder(node.resolve("/health?token=" + SECRET))
                    .header("Authorization", "Bearer " + SECRET).header("X-Request-ID", "health-1").build();
            http.send(health, HttpResponse.BodyHandlers.ofString());
            HttpRequest predict = HttpRequest.newBuilder(node.resolve("/predict/nothing"))
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [[1]]}")).build();
            HttpResponse<String> answer = http.send(predict, HttpResponse.BodyHandlers.ofString());
            assertEquals(404, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("traceparent").orElseThrow()
                    .startsWith("00-0af7651916cd43dd8448eb211c80319c-"));
            await().atMost(WAIT).until(() -> Files.readString(err).contains("/predict/nothing"));
        } finally {
            p.destroy();
            p.waitFor();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(err)) {
            if (line.startsWith("WARNING: ")) {
                continue; // the JVM's own warnings (restricted or deprecated methods), not log records
            }
            if (line.startsWith("data plane node-logs ")) {
                continue; // the shutdown hook's two plain lines
            }
            JsonNode n = JSON.readTree(line);
            assertTrue(n.isObject() && n.has("time") && n.has("level") && n.has("logger") && n.has("message"), line);
            lines.add(n);
            assertFalse(line.contains(SECRET), "a token in the log: " + line);
        }
        assertTrue(lines.stream().anyMatch(n -> n.get("logger").asText().startsWith("io.helidon")),
                "Helidon's records are JSON too");
        JsonNode health = lines.stream().filter(n -> n.path("path").asText().equals("/health")).findFirst()
                .orElseThrow(() -> new AssertionError("no access-log line for /health: " + lines));
        assertEquals("health-1", health.get("request_id").asText());
        assertEquals("dataplane", health.get("server").asText());
        JsonNode failed = lines.stream().filter(n -> n.path("path").asText().equals("/predict/nothing"))
                .findFirst().orElseThrow();
        assertEquals(404, failed.get("status").asInt());
        assertEquals("0af7651916cd43dd8448eb211c80319c", failed.get("trace_id").asText());
        assertEquals("nothing", failed.get("model").asText());
    }

    @Test
    void textWhenAsked() throws Exception {
        Path out = home.resolve("out.log");
        Path err = home.resolve("err.log");
        Process p = start(Map.of("MM_LOG_FORMAT", "text"), out, err);
        try {
            readyUri(out, p);
            await().atMost(WAIT).until(() -> Files.readString(err).contains(" INFO io.helidon"));
        } finally {
            p.destroy();
            p.waitFor();
        }
        assertFalse(Files.readAllLines(err).stream().anyMatch(l -> l.startsWith("{")), Files.readString(err));
    }

    @Test
    void aBadFormatIsAUsageError() throws Exception {
        Path out = home.resolve("out.log");
        Path err = home.resolve("err.log");
        Process p = start(Map.of("MM_LOG_FORMAT", "xml"), out, err);
        assertEquals(2, p.waitFor());
        assertTrue(Files.readString(err).contains("MM_LOG_FORMAT must be json or text"), Files.readString(err));
    }

    @Test
    void anUnknownFlagIsAUsageErrorAndHelpListsTheFlags() throws Exception {
        Path out = home.resolve("out.log");
        Path err = home.resolve("err.log");
        Process p = start(Map.of(), out, err, "--prot", "1");
        assertEquals(2, p.waitFor());
        String said = Files.readString(err);
        assertTrue(said.contains("dataplane: unknown option --prot (did you mean --port?)"), said);
        Process help = start(Map.of(), out, err, "--help");
        assertEquals(0, help.waitFor());
        String usage = Files.readString(out);
        for (String flag : List.of("--control-plane", "--drain-timeout", "--log-format", "--tracing-endpoint",
                "--allow-anonymous-predict", "MM_REPORT_INTERVAL")) {
            assertTrue(usage.contains(flag), flag + " in:\n" + usage);
        }
    }

    private static String unreachable() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    /** The URL the node prints once it serves ({@code data plane ID ready on URL}). */
    private static URI readyUri(Path output, Process p) throws Exception {
        String[] found = new String[1];
        await().atMost(WAIT).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("the node exited: " + Files.readString(output));
            }
            for (String line : Files.readAllLines(output)) {
                int at = line.indexOf(" ready on ");
                if (line.startsWith("data plane ") && at > 0) {
                    found[0] = line.substring(at + " ready on ".length()).trim();
                    return true;
                }
            }
            return false;
        });
        return URI.create(found[0]);
    }
}
