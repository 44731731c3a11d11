package io.modelmesh.deploy.compose;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.Durations;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.dataplane.cache.CacheConfig;
import io.modelmesh.dataplane.cache.CacheSettings;
import io.modelmesh.dataplane.drift.SamplerConfig;
import io.modelmesh.deploy.k8s.RecordingEnvironment;
import io.modelmesh.server.http.Loopback;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compose.yaml against the servers and against k8s/base, so the two ways to run the image cannot drift apart: each
 * modelmesh service's command and environment (with the env_file and secret files deploy/compose-secrets.sh really
 * makes) go through the server's own configuration parser, which must accept them and must have asked for every
 * variable set; the image, user, read-only root, ports, healthcheck paths and heap shares are those of the
 * Deployments; nodes name the control planes and Redis of the file; Prometheus scrapes exactly the modelmesh services.
 */
class ComposeServersTest {
    private static final Path ROOT = ComposeFile.repository();
    /** Variables the JVM reads rather than a ModelMesh server. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    /** Seconds a JVM gets to stop after its drain, as in OverlayServersTest. */
    private static final long STOP_MARGIN_SECONDS = 5;
    private static final Pattern ROLE = Pattern.compile("\\n\\s*(controlplane|dataplane)\\)\\s*\\n"
            + "\\s*export JAVA_TOOL_OPTIONS=\"\\$\\{JAVA_TOOL_OPTIONS:-\\$\\(heap_options (\\d+)(?: (\\d+[mg]))?\\)}\""
            + "\\s*\\n"
            + "\\s*exec java -cp \"\\$LIB/\\*\" (\\S+) \"\\$@\"");

    private static JsonNode compose;
    private static JsonNode services;
    private static Path secretsDir;

    @BeforeAll
    static void readCompose(@TempDir Path dir) throws IOException, InterruptedException {
        compose = ComposeFile.interpolated(ROOT.resolve("compose.yaml"), Map.of());
        services = compose.path("services");
        // the secrets as the documented script makes them, in a directory of the test's own
        secretsDir = dir.resolve(".compose");
        Process p = new ProcessBuilder("bash", ROOT.resolve("deploy/compose-secrets.sh").toString(),
                "--dir", secretsDir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "compose-secrets.sh did not finish");
        assertEquals(0, p.exitValue(), out);
    }

    /** A path of compose.yaml under .compose/ (secrets, env_file), moved to the test's directory. */
    private static Path local(String composePath) {
        assertTrue(composePath.startsWith(".compose/"), composePath + " is not made by deploy/compose-secrets.sh");
        return secretsDir.resolve(composePath.substring(".compose/".length()));
    }

    private static List<String> modelmeshServices(String role) {
        List<String> out = new ArrayList<>();
        services.fields().forEachRemaining(e -> {
            if (e.getValue().path("image").asText().startsWith("modelmesh:")
                    && ComposeFile.strings(e.getValue().path("command")).getFirst().equals(role)) {
                out.add(e.getKey());
            }
        });
        return out;
    }

    /** The container as its server sees it: arguments after the role, environment with env_file and secrets. */
    private record Container(String service, List<String> args, Map<String, String> env) {
        static Container of(String name) {
            JsonNode s = services.path(name);
            Map<String, Path> secrets = new HashMap<>();
            for (String secret : ComposeFile.strings(s.path("secrets"))) {
                String file = compose.path("secrets").path(secret).path("file").asText();
                Path local = local(file);
                assertTrue(Files.isReadable(local), name + ": secret " + secret + " (" + file + ") is not made by "
                        + "deploy/compose-secrets.sh");
                secrets.put("/run/secrets/" + secret, local);
            }
            Map<String, String> env = new LinkedHashMap<>();
            for (String envFile : ComposeFile.strings(s.path("env_file"))) {
                try {
                    for (String line : Files.readAllLines(local(envFile))) {
                        int eq = line.indexOf('=');
                        if (!line.startsWith("#") && eq > 0) {
                            env.put(line.substring(0, eq), line.substring(eq + 1));
                        }
                    }
                } catch (IOException e) {
                    throw new AssertionError(name + ": env_file " + envFile + " was not made", e);
                }
            }
            s.path("environment").fields().forEachRemaining(e -> {
                if (env.put(e.getKey(), relocate(e.getValue().asText(), secrets)) != null) {
                    throw new AssertionError(name + " sets " + e.getKey() + " in env_file and environment");
                }
            });
            List<String> command = ComposeFile.strings(s.path("command"));
            List<String> args = command.subList(1, command.size()).stream().map(a -> relocate(a, secrets)).toList();
            return new Container(name, args, env);
        }

        private static String relocate(String value, Map<String, Path> secrets) {
            if (value.startsWith("/run/secrets/")) {
                Path local = secrets.get(value);
                assertNotNull(local, value + " is not a secret the service lists");
                return local.toString();
            }
            return value;
        }

        String[] argv() {
            return args.toArray(String[]::new);
        }

        JsonNode node() {
            return services.path(service);
        }
    }

    /** The one container of a k8s/base Deployment, as written. */
    private static JsonNode k8sContainer(String component) {
        JsonNode d = ComposeFile.read(ROOT.resolve("k8s/base/" + component + "-deployment.yaml"));
        return d.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode k8sPod(String component) {
        return ComposeFile.read(ROOT.resolve("k8s/base/" + component + "-deployment.yaml"))
                .path("spec").path("template").path("spec");
    }

    private static String k8sEnv(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(name)) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("k8s/base sets no " + name);
    }

    @Test
    void theControlPlanesReadTheirServicesAsWritten() {
        List<String> names = modelmeshServices("controlplane");
        assertEquals(2, names.size(), "two control planes on one PostgreSQL: " + names);
        Set<String> homes = new TreeSet<>();
        Set<String> artifactVolumes = new TreeSet<>();
        for (String name : names) {
            Container c = Container.of(name);
            RecordingEnvironment env = new RecordingEnvironment(c.env());
            ControlPlaneConfig config = ControlPlaneConfig.fromArgs(c.argv(), env);

            assertFalse(Loopback.is(config.host()), name + ": bound to loopback, nodes could not reach it");
            assertEquals(k8sContainer("controlplane").path("ports").get(0).path("containerPort").asInt(),
                    config.port(), name + ": the port of k8s/base");
            published(c, config.port());
            assertFalse(config.embeddedDatabase(), name + ": the database is the postgres service");
            assertEquals("postgres", URI.create(config.databaseUrl().substring("jdbc:".length())).getHost());
            assertTrue(services.has("postgres"));
            assertEquals(c.env().get("MM_DATABASE_USER"), postgresEnv("POSTGRES_USER"));
            assertEquals(firstLine(c.env().get("MM_DATABASE_PASSWORD_FILE")), config.databasePassword(),
                    name + ": the password file of the secret db-password was read");
            assertEquals("/run/secrets/db-password", postgresEnv("POSTGRES_PASSWORD_FILE"),
                    "postgres and the control planes share the secret db-password");
            assertNotNull(config.adminToken(), name + ": MM_ADMIN_TOKEN from the env_file");
            assertNotNull(config.joinToken(), name + ": MM_JOIN_TOKEN from the env_file");
            assertEquals(firstLine(local(".compose/secrets/admin-token").toString()), config.adminToken(),
                    "the admin token users are told to use is the one the control planes adopt");
            homes.add(namedVolume(c, config.home().toString()));
            artifactVolumes.add(namedVolume(c, config.artifactDir().toString()));
            assertEquals(k8sEnv(k8sContainer("controlplane"), "MM_HOME"), config.home().toString());
            onlyVariablesTheServerReads(c, env.asked());
            sameContractAsKubernetes(c, "controlplane", config.port());
        }
        assertEquals(names.size(), homes.size(), "each control plane has its own MM_HOME volume: " + homes);
        assertEquals(1, artifactVolumes.size(), "every control plane must read every artifact: one shared "
                + "--artifact-dir volume, got " + artifactVolumes);
    }

    @Test
    void theNodesReadTheirServicesAsWritten() {
        List<String> names = modelmeshServices("dataplane");
        assertEquals(2, names.size(), "two data-plane nodes: " + names);
        List<URI> controlPlanes = modelmeshServices("controlplane").stream()
                .map(n -> URI.create("http://" + n + ":" + ControlPlaneConfig.fromArgs(Container.of(n).argv(),
                        new HashMap<>(Container.of(n).env())).port())).toList();
        Set<String> ids = new TreeSet<>();
        for (String name : names) {
            Container c = Container.of(name);
            RecordingEnvironment env = new RecordingEnvironment(c.env());
            DataPlaneConfig config = DataPlaneConfig.fromArgs(c.argv(), env);
            SamplerConfig.fromEnv(env); // what DataPlane.start reads besides
            CacheConfig cache = CacheSettings.read(env);

            assertFalse(Loopback.is(config.host()), name + ": bound to loopback, the control plane could not reach it");
            assertEquals(k8sContainer("dataplane").path("ports").get(0).path("containerPort").asInt(), config.port(),
                    name + ": the port of k8s/base");
            published(c, config.port());
            assertTrue(ids.add(config.nodeId()), name + ": node ids must differ, " + config.nodeId() + " twice");
            assertEquals("http://" + name + ":" + config.port(), config.advertisedUrl(),
                    name + ": the control plane sends revision notices to the service itself");
            assertEquals(controlPlanes, config.controlPlane(), name + ": every control plane of the file");
            assertFalse(config.anonymousPredict(), "predictions need a token off loopback");
            CacheConfig.Redis redis = assertInstanceOf(CacheConfig.Redis.class, cache, "the shared cache is Redis");
            assertEquals("redis", redis.redis().url().getHost());
            assertTrue(services.has("redis"));
            assertTrue(Files.isReadable(config.joinTokenFile()), "--join-token-file names the secret join-token");
            assertEquals(firstLine(local(".compose/secrets/join-token").toString()),
                    firstLine(config.joinTokenFile().toString()), "nodes join with the token the control planes adopt");
            namedVolume(c, config.home().toString());

            long grace = Durations.millis(c.node().path("stop_grace_period").asText()).orElseThrow() / 1000;
            long drain = config.serving().drainTimeout().toSeconds();
            assertTrue(grace >= drain + STOP_MARGIN_SECONDS, name + ": stop_grace_period " + grace + " s must cover "
                    + "the drain (" + drain + " s) and " + STOP_MARGIN_SECONDS + " s to stop, else the engine kills "
                    + "requests in flight");
            assertEquals(k8sEnv(k8sContainer("dataplane"), "MM_HOME"), config.home().toString());
            onlyVariablesTheServerReads(c, env.asked());
            sameContractAsKubernetes(c, "dataplane", config.port());
        }
    }

    @Test
    void theImageIsTheOneKubernetesNamesWithTheSameLayout() throws IOException {
        JsonNode image = ComposeFile.read(ROOT.resolve("k8s/base/kustomization.yaml")).path("images").get(0);
        String expected = image.path("newName").asText() + ":" + image.path("newTag").asText();
        for (String role : List.of("controlplane", "dataplane")) {
            for (String name : modelmeshServices(role)) {
                assertEquals(expected, services.path(name).path("image").asText(), name);
            }
        }
        String containerfile = Files.readString(ROOT.resolve("deploy/Containerfile"));
        JsonNode cp = k8sContainer("controlplane");
        String classpath = cp.path("command").get(2).asText(); // java -cp CLASSPATH MAIN
        assertTrue(classpath.endsWith("/*"), classpath);
        String lib = classpath.substring(0, classpath.length() - 1);
        assertTrue(containerfile.contains("\nCOPY dist/target/modelmesh/lib/ " + lib + "\n"),
                "the Containerfile puts the jars where k8s/base's class path looks: " + lib);
        JsonNode security = k8sPod("controlplane").path("securityContext");
        assertTrue(containerfile.contains("\nUSER " + security.path("runAsUser").asInt() + ":"
                + security.path("runAsGroup").asInt() + "\n"), "the image's user is k8s/base's runAsUser:runAsGroup");
        assertTrue(containerfile.contains("MM_HOME=" + k8sEnv(cp, "MM_HOME")), "MM_HOME of k8s/base");
        assertTrue(containerfile.contains("ENTRYPOINT [\"/opt/modelmesh/bin/modelmesh\"]"));
        assertTrue(containerfile.contains("COPY deploy/image/modelmesh /opt/modelmesh/bin/modelmesh"));
        // the build context is the repository's top; .dockerignore lets through exactly what the COPY lines take
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) \\S+$").matcher(containerfile);
        List<String> sources = new ArrayList<>();
        while (copy.find()) {
            sources.add("!" + copy.group(1).replaceAll("/$", ""));
        }
        List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals("*", ignore.getFirst(), ".dockerignore starts by leaving everything out (.compose/ included)");
        assertEquals(sources, ignore.subList(1, ignore.size()), "what the Containerfile copies, nothing more");
    }

    @Test
    void theEntryPointStartsWhatKubernetesStartsWithTheSameHeap() throws IOException {
        String script = Files.readString(ROOT.resolve("deploy/image/modelmesh"));
        Matcher m = ROLE.matcher(script);
        Map<String, String[]> roles = new TreeMap<>();
        while (m.find()) {
            roles.put(m.group(1), new String[] {m.group(2), m.group(4), m.group(3)});
        }
        assertEquals(Set.of("controlplane", "dataplane"), roles.keySet(), "both roles exec java with heap_options");
        Matcher options = Pattern.compile("heap_options\\(\\) \\{\\s*printf '%s' \"(.*)\"\\s*}").matcher(script);
        assertTrue(options.find(), "heap_options prints the JVM options");
        for (String role : roles.keySet()) {
            JsonNode k8s = k8sContainer(role);
            String[] r = roles.get(role);
            assertEquals(k8s.path("command").get(3).asText(), r[1], role + ": the main class k8s/base starts");
            String written = options.group(1).replace("$1", r[0])
                    .replace("${2:+-Xms$2 }", r[2] == null ? "" : "-Xms" + r[2] + " ") // bash: the floor, when given
                    .replace("$NATIVE", "--enable-native-access=ALL-UNNAMED");
            assertEquals(k8sEnv(k8s, "JAVA_TOOL_OPTIONS"), written,
                    role + ": the entry point's default JAVA_TOOL_OPTIONS is the Deployment's");
        }
    }

    @Test
    void upstreamImagesAndMonitoringAreWiredToTheStack() throws IOException {
        assertTrue(services.path("postgres").path("image").asText().startsWith("postgres:"));
        assertTrue(services.path("redis").path("image").asText().startsWith("redis:"));
        assertTrue(services.path("prometheus").path("image").asText().startsWith("prom/prometheus:"));
        assertTrue(services.path("grafana").path("image").asText().startsWith("grafana/grafana:"));

        Map<String, String> mounts = new TreeMap<>();
        for (String v : ComposeFile.strings(services.path("prometheus").path("volumes"))) {
            String[] parts = v.split(":");
            mounts.put(parts[1], parts[0]);
        }
        assertEquals("./prometheus/alerts.yml", mounts.get("/etc/prometheus/alerts.yml"), "the repository's rules");
        String configFile = mounts.get("/etc/prometheus/prometheus.yml");
        JsonNode config = ComposeFile.read(ROOT.resolve(configFile));
        assertEquals(List.of("alerts.yml"), ComposeFile.strings(config.path("rule_files")));
        JsonNode local = ComposeFile.read(ROOT.resolve("prometheus/prometheus.yml"));
        Map<String, Set<String>> jobs = new TreeMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            Set<String> targets = new TreeSet<>();
            job.path("static_configs").forEach(s -> targets.addAll(ComposeFile.strings(s.path("targets"))));
            jobs.put(job.path("job_name").asText(), targets);
            assertEquals("/metrics", job.path("metrics_path").asText());
        }
        Set<String> localJobs = new TreeSet<>();
        local.path("scrape_configs").forEach(j -> localJobs.add(j.path("job_name").asText()));
        assertEquals(localJobs, jobs.keySet(), "the job names dashboards and alerts select on");
        assertEquals(targets("controlplane", 8080), jobs.get("modelmesh-controlplane"));
        assertEquals(targets("dataplane", 8000), jobs.get("modelmesh-nodes"));
        for (String role : List.of("controlplane", "dataplane")) {
            for (String name : modelmeshServices(role)) {
                assertEquals("true", services.path(name).path("environment").path("MM_PUBLIC_METRICS").asText(),
                        name + ": Prometheus scrapes without a token (it has none in the stack)");
            }
        }

        JsonNode grafana = services.path("grafana");
        assertEquals("http://prometheus:9090", grafana.path("environment").path("MM_PROMETHEUS_URL").asText());
        List<String> grafanaVolumes = ComposeFile.strings(grafana.path("volumes"));
        assertTrue(grafanaVolumes.contains("./grafana/provisioning:/etc/grafana/provisioning:ro"), grafanaVolumes
                .toString());
        String dashboards = grafana.path("environment").path("MM_GRAFANA_DASHBOARDS").asText();
        assertTrue(grafanaVolumes.contains("./grafana/dashboards:" + dashboards + ":ro"),
                "the provider's path (MM_GRAFANA_DASHBOARDS) holds grafana/dashboards: " + grafanaVolumes);
        assertTrue(Files.readString(ROOT.resolve("grafana/provisioning/dashboards/modelmesh.yaml"))
                .contains("${MM_GRAFANA_DASHBOARDS}"));
        assertTrue(ComposeFile.strings(services.path("prometheus").path("command"))
                .contains("--web.listen-address=:9090"));
    }

    /**
     * Grafana expands {@code $NAME} and {@code ${NAME}} in provisioning files (Go's os.ExpandEnv) and nothing else: a
     * shell-style {@code ${NAME:-default}} reads as one variable named {@code NAME:-default}, so it always expands to
     * nothing. Every variable the files use must be plain and set on the grafana service.
     */
    @Test
    void grafanaProvisioningUsesOnlyVariablesTheServiceSets() throws IOException {
        Pattern braced = Pattern.compile("\\$\\{([^}]*)}");
        Set<String> used = new TreeSet<>();
        try (var files = Files.walk(ROOT.resolve("grafana/provisioning"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f).lines().filter(l -> !l.strip().startsWith("#"))
                        .reduce("", (a, b) -> a + b + "\n");
                Matcher m = braced.matcher(text);
                while (m.find()) {
                    assertTrue(m.group(1).matches("[A-Za-z_][A-Za-z0-9_]*"), f + ": ${" + m.group(1) + "} is not "
                            + "a variable Grafana expands (no :- defaults)");
                    used.add(m.group(1));
                }
            }
        }
        assertFalse(used.isEmpty());
        for (String name : used) {
            assertFalse(services.path("grafana").path("environment").path(name).asText().isEmpty(),
                    "the grafana service must set " + name + ", which grafana/provisioning uses");
        }
    }

    @Test
    void theSmokeOverrideOnlyReplacesUpstreamImages() {
        JsonNode override = ComposeFile.read(ROOT.resolve("deploy/compose.smoke.yaml"));
        assertEquals(List.of("services"), fieldNames(override));
        override.path("services").fields().forEachRemaining(e -> {
            assertEquals(List.of("image"), fieldNames(e.getValue()), e.getKey() + ": the smoke run must test "
                    + "compose.yaml's own settings, so its override changes images only");
            assertFalse(services.path(e.getKey()).path("image").asText().startsWith("modelmesh:"), e.getKey());
            assertTrue(e.getValue().path("image").asText().startsWith("localhost/modelmesh-standin-"));
        });
    }

    private static Set<String> targets(String role, int port) {
        Set<String> out = new TreeSet<>();
        modelmeshServices(role).forEach(n -> out.add(n + ":" + port));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String postgresEnv(String name) {
        return services.path("postgres").path("environment").path(name).asText();
    }

    private static String firstLine(String file) {
        try {
            return Files.readAllLines(Path.of(file)).getFirst();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** The named volume mounted at {@code path} (writable: the root filesystem is read-only). */
    private static String namedVolume(Container c, String path) {
        for (String v : ComposeFile.strings(c.node().path("volumes"))) {
            String[] parts = v.split(":");
            if (parts[1].equals(path)) {
                assertFalse(parts.length > 2 && parts[2].contains("ro"), c.service() + ": " + path + " is read-only");
                assertTrue(compose.path("volumes").has(parts[0]), c.service() + ": " + parts[0]
                        + " is not a named volume");
                return parts[0];
            }
        }
        throw new AssertionError(c.service() + ": nothing is mounted at " + path + " (the root is read-only)");
    }

    /** The container port is published, on loopback only. */
    private static void published(Container c, int port) {
        List<String> ports = ComposeFile.strings(c.node().path("ports"));
        assertEquals(1, ports.size(), c.service() + ": " + ports);
        String[] parts = ports.getFirst().split(":");
        assertEquals(3, parts.length, c.service() + ": HOST_IP:HOST_PORT:CONTAINER_PORT, got " + ports);
        assertEquals("127.0.0.1", parts[0], c.service() + ": published on loopback only");
        assertEquals(String.valueOf(port), parts[2], c.service() + ": the server's port");
    }

    private static void onlyVariablesTheServerReads(Container c, Set<String> asked) {
        List<String> unread = c.env().keySet().stream()
                .filter(n -> !asked.contains(n) && !JVM_VARIABLES.contains(n)).toList();
        assertTrue(unread.isEmpty(), c.service() + " sets " + unread + ", which the server never reads (misspelt, or "
                + "meant for the other server?); it reads " + asked);
    }

    /** User, read-only root, capabilities, /tmp, memory limit and healthcheck as k8s/base has them. */
    private static void sameContractAsKubernetes(Container c, String component, int port) {
        JsonNode s = c.node();
        JsonNode pod = k8sPod(component).path("securityContext");
        JsonNode k8s = k8sContainer(component);
        assertEquals(pod.path("runAsUser").asInt() + ":" + pod.path("runAsGroup").asInt(), s.path("user").asText(),
                c.service() + ": the user of k8s/base");
        assertEquals(k8s.path("securityContext").path("readOnlyRootFilesystem").asBoolean(),
                s.path("read_only").asBoolean(), c.service() + ": read-only root as in k8s/base");
        assertEquals(List.of("ALL"), ComposeFile.strings(s.path("cap_drop")), c.service());
        assertTrue(ComposeFile.strings(s.path("security_opt")).contains("no-new-privileges:true"), c.service());
        assertTrue(ComposeFile.strings(s.path("tmpfs")).stream().anyMatch(t -> t.startsWith("/tmp:exec")),
                c.service() + ": /tmp is writable and executable (ONNX Runtime unpacks its library there)");
        assertFalse(s.path("mem_limit").asText().isEmpty(), c.service() + ": the heap is a share of the limit");
        assertFalse(c.env().containsKey("JAVA_TOOL_OPTIONS"), c.service() + ": the entry point sets the same heap "
                + "share as k8s/base; a value here would drift from it");
        List<String> test = ComposeFile.strings(s.path("healthcheck").path("test"));
        String readiness = k8s.path("readinessProbe").path("httpGet").path("path").asText();
        assertNotEquals("", readiness, component + ": k8s/base's readiness probe is an HTTP GET");
        assertEquals(List.of("CMD", "modelmesh", "healthcheck", String.valueOf(port), readiness), test,
                c.service() + ": the healthcheck asks what k8s/base's readiness probe asks");
    }
}
