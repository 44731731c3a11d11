package io.modelmesh.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's chromium driven through chromedriver's W3C WebDriver HTTP API with the JDK's HttpClient (no Selenium):
 * enough to load a page, click, type and read the DOM. {@link #close()} ends the session, chromedriver and the
 * browser processes it started.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process driver;
    private final URI base;
    private final String session;

    private HeadlessChromium(Process driver, URI base, Path profile) {
        this.driver = driver;
        this.base = base;
        ObjectNode capabilities = json.createObjectNode();
        ObjectNode options = capabilities.putObject("capabilities").putObject("alwaysMatch")
                .put("browserName", "chrome");
        capabilities.with("capabilities").with("alwaysMatch").putObject("goog:loggingPrefs").put("browser", "ALL");
        options = options.putObject("goog:chromeOptions").put("binary", CHROMIUM.toString());
        List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600", "--user-data-dir=" + profile)
                .forEach(options.putArray("args")::add);
        this.session = call("POST", "/session", capabilities).path("sessionId").asText();
    }

    /** Whether this machine has the browser and its driver (Debian: apt-get install chromium chromium-driver). */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts chromedriver on a free loopback port and a browser session with a fresh profile under {@code dir}. */
    static HeadlessChromium start(Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromedriver.log").toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient probe = HttpClient.newHttpClient();
        try {
            Awaitility.await("chromedriver on " + base).atMost(WAIT).ignoreExceptions().until(() -> probe.send(
                    HttpRequest.newBuilder(base.resolve("/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            Path profile = Files.createDirectories(dir.resolve("profile"));
            return new HeadlessChromium(p, base, profile);
        } catch (RuntimeException e) {
            stop(p);
            throw e;
        }
    }

    void open(URI page) {
        call("POST", path("/url"), json.createObjectNode().put("url", page.toString()));
    }

    /** Clicks the element {@code css} selects, once it is there. */
    void click(String css) {
        call("POST", path("/element/" + find(css) + "/click"), json.createObjectNode());
    }

    /** Replaces the text of the input {@code css} selects, once it is there. */
    void type(String css, String text) {
        String id = find(css);
        call("POST", path("/element/" + id + "/clear"), json.createObjectNode());
        call("POST", path("/element/" + id + "/value"), json.createObjectNode().put("text", text));
    }

    /** The rendered text of the element {@code css} selects, once it is there. */
    String text(String css) {
        return call("GET", path("/element/" + find(css) + "/text"), null).path("value").asText();
    }

    /** The value of a script run in the page ({@code return ...}). */
    JsonNode script(String script) {
        ObjectNode body = json.createObjectNode().put("script", script);
        body.putArray("args");
        return call("POST", path("/execute/sync"), body).path("value");
    }

    /** The element's WebDriver id, waiting for the page to render it. */
    String find(String css) {
        ObjectNode query = json.createObjectNode().put("using", "css selector").put("value", css);
        try {
            return Awaitility.await("'" + css + "' on the page").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(NoSuchElement.class)
                    .until(() -> call("POST", path("/element"), query).path("value").path(ELEMENT).asText(),
                            id -> !id.isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("'" + css + "' never appeared; the page shows: " + abbreviate(
                    script("return document.body ? document.body.innerText : document.documentElement.outerHTML")
                            .asText()) + "; its console: " + abbreviate(console()), e);
        }
    }

    /** The browser's console messages so far (chromedriver's log endpoint), for failure messages. */
    private String console() {
        try {
            return call("POST", path("/se/log"), json.createObjectNode().put("type", "browser")).path("value")
                    .toString();
        } catch (RuntimeException e) {
            return "(unavailable: " + e.getMessage() + ")";
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 3000 ? s.substring(0, 3000) + "..." : s;
    }

    private String path(String rest) {
        return "/session/" + session + rest;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(WAIT)
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString()));
        try {
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = json.readTree(res.body());
            if (res.statusCode() == 404 && "no such element".equals(answer.path("value").path("error").asText())) {
                throw new NoSuchElement();
            }
            if (res.statusCode() != 200) {
                throw new IllegalStateException(method + " " + path + ": " + res.statusCode() + " " + res.body());
            }
            return answer.has("value") && answer.get("value").has("sessionId") ? answer.get("value") : answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            call("DELETE", path(""), null);
        } catch (RuntimeException e) {
            // the processes are ended below either way
        } finally {
            stop(driver);
        }
    }

    private static void stop(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** WebDriver's "no such element": the page has not rendered it (yet). */
    private static final class NoSuchElement extends RuntimeException {
        NoSuchElement() {
            super("no such element", null, false, false);
        }
    }
}
