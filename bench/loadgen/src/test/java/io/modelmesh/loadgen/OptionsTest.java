package io.modelmesh.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {

    @Test
    void parsesAFullCommandLine() {
        Options o = Options.parse(new String[] {"--url", "http://127.0.0.1:8000/predict/iris",
                "--body", "{\"inputs\":[1,2]}", "--rate", "5000", "--duration", "30s", "--warmup", "5s",
                "--connections", "32", "--header", "X-Trace: abc", "--header=Accept:application/json",
                "--timeout", "2s", "--label", "iris 5k", "--rss-pid", "1234", "--markdown-header"});
        assertEquals(URI.create("http://127.0.0.1:8000/predict/iris"), o.url());
        assertEquals("POST", o.method());
        assertArrayEquals("{\"inputs\":[1,2]}".getBytes(StandardCharsets.UTF_8), o.body());
        assertEquals(List.of(new HttpTarget.Header("X-Trace", "abc"), new HttpTarget.Header("Accept",
                "application/json")), o.headers());
        assertEquals(5000.0, o.rate());
        assertEquals(Duration.ofSeconds(30), o.duration());
        assertEquals(Duration.ofSeconds(5), o.warmup());
        assertEquals(32, o.connections());
        assertEquals(Duration.ofSeconds(2), o.timeout());
        assertEquals("iris 5k", o.label());
        assertEquals(1234, o.rssPid());
        assertTrue(o.markdownHeader());
    }

    @Test
    void defaultsWithoutABody() {
        Options o = Options.parse(new String[] {"--url=http://localhost:9/health", "--rate=0.5", "--duration=4"});
        assertEquals("GET", o.method());
        assertEquals(0, o.body().length);
        assertEquals(Duration.ZERO, o.warmup());
        assertEquals(64, o.connections());
        assertEquals(Duration.ofSeconds(10), o.timeout());
        assertEquals("/health", o.label());
        assertEquals(-1, o.rssPid());
        assertFalse(o.markdownHeader());
    }

    @Test
    void readsTheBodyFromAFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("body.json");
        Files.writeString(f, "{\"inputs\":[0.5]}");
        Options o = Options.parse(new String[] {"--url", "http://h/p", "--rate", "1", "--duration", "1s",
                "--body-file", f.toString(), "--method", "put"});
        assertEquals("{\"inputs\":[0.5]}", new String(o.body(), StandardCharsets.UTF_8));
        assertEquals("PUT", o.method());
    }

    @Test
    void durationsTakeUnitsAndBareSeconds() {
        assertEquals(Duration.ofMillis(500), Options.parseDuration("--d", "500ms"));
        assertEquals(Duration.ofSeconds(30), Options.parseDuration("--d", "30s"));
        assertEquals(Duration.ofSeconds(30), Options.parseDuration("--d", "30"));
        assertEquals(Duration.ofMillis(1_500), Options.parseDuration("--d", "1.5s"));
        assertEquals(Duration.ofMinutes(2), Options.parseDuration("--d", "2m"));
        assertEquals(Duration.ofHours(1), Options.parseDuration("--d", "1h"));
        assertEquals(Duration.ZERO, Options.parseDuration("--d", "0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Options.parseDuration("--warmup", "5 sec"));
        assertTrue(e.getMessage().startsWith("--warmup wants a duration"), e.getMessage());
    }

    @Test
    void refusesWhatCannotRun() {
        assertRefused("required", "--url", "http://h/p", "--rate", "10");
        assertRefused("no TLS", "--url", "https://h/p", "--rate", "10", "--duration", "1s");
        assertRefused("--rate", "--url", "http://h/p", "--rate", "0", "--duration", "1s");
        assertRefused("--rate", "--url", "http://h/p", "--rate", "fast", "--duration", "1s");
        assertRefused("--connections", "--url", "http://h/p", "--rate", "1", "--duration", "1s", "--connections", "0");
        assertRefused("--duration must be more than 0", "--url", "http://h/p", "--rate", "1", "--duration", "0s");
        assertRefused("once", "--url", "http://h/p", "--rate", "1", "--duration", "1s", "--body", "a", "--body", "b");
        assertRefused("unknown option --rps", "--url", "http://h/p", "--rps", "1");
        assertRefused("needs a value", "--url");
        assertRefused("unexpected argument", "http://h/p");
        assertRefused("NAME:VALUE", "--url", "http://h/p", "--rate", "1", "--duration", "1s", "--header", "novalue");
        assertRefused("cannot read", "--url", "http://h/p", "--rate", "1", "--duration", "1s", "--body-file",
                "/nonexistent/body.json");
    }

    @Test
    void sendsTheTokenOfATokenFileAsABearerHeaderAndNeverShowsIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("predict-token");
        Files.writeString(f, "  mmt_secret123\n");
        Options o = Options.parse(new String[] {"--url", "http://h/p", "--rate", "1", "--duration", "1s",
                "--token-file", f.toString()});
        assertEquals(List.of(new HttpTarget.Header("Authorization", "Bearer mmt_secret123")), o.headers());
        assertFalse(o.toString().contains("mmt_secret123"), o.toString());
        String request = new String(HttpTarget.of(o.url(), o.method(), o.body(), o.headers()).requestBytes(),
                StandardCharsets.ISO_8859_1);
        assertTrue(request.contains("\r\nAuthorization: Bearer mmt_secret123\r\n"), request);
    }

    @Test
    void refusesATokenFileThatHoldsNoSingleToken(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n \n");
        Path two = Files.writeString(dir.resolve("two"), "mmt_a mmt_b\n");
        assertRefused("is empty", "--url", "http://h/p", "--rate", "1", "--duration", "1s",
                "--token-file", empty.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {
                "--url", "http://h/p", "--rate", "1", "--duration", "1s", "--token-file", two.toString()}));
        assertTrue(e.getMessage().contains("does not hold one token"), e.getMessage());
        assertFalse(e.getMessage().contains("mmt_a"), e.getMessage());
        assertRefused("cannot read", "--url", "http://h/p", "--rate", "1", "--duration", "1s",
                "--token-file", dir.resolve("missing").toString());
    }

    @Test
    void refusesTwoAuthorizationHeaders(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("predict-token"), "mmt_one\n");
        assertRefused("--token-file and --header Authorization", "--url", "http://h/p", "--rate", "1",
                "--duration", "1s", "--token-file", f.toString(), "--header", "authorization: Bearer mmt_two");
    }

    private static void assertRefused(String fragment, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Options.parse(args));
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention '" + fragment + "'");
    }
}
