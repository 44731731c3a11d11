package io.modelmesh.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.NodeState;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.ChaosRequest;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.Json;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboards and alert rules against a real Prometheus (Debian's {@code prometheus} package) scraping a running
 * stack: a control plane and two nodes serve traffic with a cache, a shadow, inputs that drift, a canary that fails
 * and is rolled back, and finally a node that stops. Then every PromQL expression of every dashboard panel and every
 * alert rule must parse and return data over the run, and Prometheus must have loaded every rule.
 */
class DashboardsIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path MODELS = REPO.resolve("fixtures/models");
    private static final String MODEL = "iris";
    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;
    static ControlPlane cp;
    static DataPlane a;
    static DataPlane b;
    static ModelMeshClient admin;
    static Process prometheus;
    static URI prom;
    static Instant started;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL), "the prometheus binary is not "
                + "installed (Debian package prometheus; .ci/run installs it): dashboards and rules are not checked");
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        a = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-a")
                .withReportInterval(Duration.ofMillis(200)));
        b = DataPlane.start(DataPlaneConfig.forTests(cp.uri(), home).withNodeId("node-b")
                .withReportInterval(Duration.ofMillis(200)));
        admin = ModelMeshClient.builder().controlPlane(cp.uri())
                .token(Files.readString(home.resolve("admin-token")).strip()).build();
        Awaitility.await("both nodes to register").atMost(Duration.ofSeconds(60))
                .until(() -> admin.nodes().stream().filter(n -> n.state() == NodeState.LIVE).count() == 2);
        admin.register(Registration.of(MODEL, MODELS.resolve("iris_logreg.pkl")).withVersion("1.0.0"));
        admin.register(Registration.of(MODEL, MODELS.resolve("iris_rf.pkl")).withVersion("1.1.0")
                .withDeploy(false));
        admin.deploy(new DeployRequest(MODEL, "1.0.0", null, null, 300, 500, null, null, null, null, null));
        prometheus = startPrometheus();
        started = Instant.now();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.destroy();
        }
        Stream.of(a, b).filter(n -> n != null).forEach(DataPlane::close);
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void everyPanelAndRuleExpressionParsesAndReturnsData() throws Exception {
        Random r = new Random(12);
        // a shadow compares its answers with the stable's (and repeated rows hit the cache)
        admin.shadow(new ShadowRequest(MODEL, "1.1.0", 100, true)); // another input schema, meant
        for (int i = 0; i < 200; i++) {
            client(i % 2 == 0 ? a : b).predict(MODEL, null, i % 4 == 0 ? "{\"inputs\": [5.1, 3.5, 1.4, 0.2]}"
                    : batch(r, 0, 1));
        }
        // inputs that drift: a served reference of 500 rows, then a window shifted by three standard deviations
        for (int i = 0; i < 60 && !drifted(); i++) {
            client(i % 2 == 0 ? a : b).predictBatch(MODEL, null, batch(r, i < 30 ? 0 : 3, 20));
        }
        assertTrue(drifted(), "the control plane flagged the shift: " + admin.drift(MODEL));
        // a canary that fails every request is rolled back by the controller
        admin.canary(new CanaryRequest(MODEL, "1.1.0", 50, null, null, 0.05, null, 400, 30, null, null, null,
                true));
        admin.chaos(new ChaosRequest(MODEL, "1.1.0", 1.0, 0, 120, null));
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = Thread.ofVirtual().start(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    client(i % 2 == 0 ? a : b).predict(MODEL, null, batch(new Random(i), 0, 1));
                } catch (ModelMeshException expected) {
                    // the injected fault
                }
            }
        });
        try {
            Awaitility.await("the canary to be rolled back").atMost(Duration.ofSeconds(90))
                    .until(() -> admin.rolloutOf(MODEL).state() == RolloutState.ROLLED_BACK);
        } finally {
            stop.set(true);
            load.join(10_000);
        }
        // a node that stops answers no scrape
        b.close();
        b = null;

        Map<String, String> expressions = expressions();
        Map<String, String> missing = new LinkedHashMap<>();
        Awaitility.await("every expression to return data").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(2)).until(() -> {
                    missing.clear();
                    for (Map.Entry<String, String> e : expressions.entrySet()) {
                        String problem = check(e.getValue());
                        if (problem != null) {
                            missing.put(e.getKey(), problem);
                        }
                    }
                    return missing.isEmpty();
                });
        assertTrue(missing.isEmpty(), missing.toString());
        JsonNode rules = api("/api/v1/rules", Map.of()).at("/data/groups/0/rules");
        assertEquals(4, rules.size(), rules.toString());
        for (JsonNode rule : rules) {
            assertEquals("ok", rule.get("health").asText(), rule.toString());
        }
    }

    /** Every panel target of every dashboard and every rule: where it is, and its PromQL. */
    static Map<String, String> expressions() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(REPO.resolve("grafana/dashboards"))) {
            for (Path f : files.sorted().toList()) {
                JsonNode d = JSON.readTree(f.toFile());
                for (JsonNode p : d.get("panels")) {
                    for (JsonNode t : p.get("targets")) {
                        out.put(f.getFileName() + " / " + p.get("title").asText() + " / " + t.get("refId").asText(),
                                t.get("expr").asText());
                    }
                }
            }
        }
        Matcher m = Pattern.compile("(?m)^\\s+- alert: (\\S+)\\n\\s+expr: (>-\\n((?:\\s{10}.*\\n)+)|(.*)\\n)")
                .matcher(Files.readString(REPO.resolve("prometheus/alerts.yml")));
        while (m.find()) {
            String expr = m.group(3) != null ? m.group(3).replaceAll("\\s*\\n\\s*", " ").trim() : m.group(4).trim();
            out.put("alerts.yml / " + m.group(1), expr);
        }
        assertTrue(out.keySet().stream().filter(k -> k.startsWith("alerts.yml")).count() == 4, out.toString());
        return out;
    }

    /** Null when the expression parses and returns data over the run, else what is wrong. */
    static String check(String expr) throws Exception {
        String query = expr.replace("$__rate_interval", "15s").replace("$model", ".+");
        JsonNode res = api("/api/v1/query_range", Map.of("query", query,
                "start", Long.toString(started.getEpochSecond()), "end", Long.toString(Instant.now().getEpochSecond()),
                "step", "1"));
        if (!"success".equals(res.path("status").asText())) {
            return res.path("error").asText(res.toString());
        }
        return res.at("/data/result").isEmpty() ? "no data" : null;
    }

    static JsonNode api(String path, Map<String, String> params) throws Exception {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(prom.resolve(path + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(res.body());
    }

    static boolean drifted() {
        return admin.drift(MODEL).versions().stream().filter(v -> v.version().equals("1.0.0"))
                .anyMatch(v -> v.features().stream().anyMatch(f -> f.psi() > 0.2));
    }

    static ModelMeshClient client(DataPlane node) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri())).build();
    }

    /** {@code n} iris-like rows ({@code inputs} for one, {@code instances} for more), petal_length moved by shift. */
    static String batch(Random r, double shift, int n) {
        double[] mean = {5.84, 3.06, 3.76, 1.20};
        double[] sd = {0.83, 0.44, 1.77, 0.76};
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder row = new StringBuilder("[");
            for (int f = 0; f < 4; f++) {
                row.append(f == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f",
                        mean[f] + sd[f] * (r.nextGaussian() + (f == 2 ? shift : 0))));
            }
            rows.add(row.append(']').toString());
        }
        return n == 1 ? "{\"inputs\": " + rows.getFirst() + "}" : "{\"instances\": [" + String.join(", ", rows) + "]}";
    }

    /** Prometheus on a free port, scraping the stack every second with the committed rules; ready when it says so. */
    static Process startPrometheus() throws Exception {
        String config = Files.readString(REPO.resolve("prometheus/prometheus.yml"));
        assertTrue(config.contains("job_name: modelmesh-controlplane") && config.contains("job_name: modelmesh-nodes"),
                "the committed scrape config names the jobs the dashboards select");
        Path dir = Files.createDirectories(home.resolve("prometheus"));
        Files.copy(REPO.resolve("prometheus/alerts.yml"), dir.resolve("alerts.yml"));
        Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
                "global: {scrape_interval: 1s, evaluation_interval: 1s}",
                "rule_files: [alerts.yml]",
                "scrape_configs:",
                "  - job_name: modelmesh-controlplane",
                "    static_configs: [{targets: [\"" + hostPort(cp.uri()) + "\"]}]",
                "  - job_name: modelmesh-nodes",
                "    static_configs: [{targets: [\"" + hostPort(a.uri()) + "\", \"" + hostPort(b.uri()) + "\"]}]",
                ""));
        check(PROMTOOL.toString(), "check", "config", dir.resolve("prometheus.yml").toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        prom = URI.create("http://127.0.0.1:" + port);
        Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        Awaitility.await("Prometheus to be ready").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> HTTP.send(HttpRequest.newBuilder(prom.resolve("/-/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return p;
    }

    static void check(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
    }

    static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    @Test
    void promtoolAcceptsTheRulesAndTheScrapeConfig() throws Exception {
        check(PROMTOOL.toString(), "check", "rules", REPO.resolve("prometheus/alerts.yml").toString());
        check(PROMTOOL.toString(), "check", "config", REPO.resolve("prometheus/prometheus.yml").toString());
    }
}
