package io.modelmesh.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.modelmesh.controlplane.ControlPlane;
import io.modelmesh.controlplane.ControlPlaneConfig;
import io.modelmesh.dataplane.DataPlane;
import io.modelmesh.dataplane.DataPlaneConfig;
import io.modelmesh.dataplane.ServingDefaults;
import io.modelmesh.dataplane.cache.CacheConfig;
import io.modelmesh.dataplane.cache.CacheSettings;
import io.modelmesh.dataplane.drift.SamplerConfig;
import io.modelmesh.server.http.Access;
import io.modelmesh.server.http.Loopback;
import io.modelmesh.server.http.RouteInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The manifests against the servers themselves: each container's arguments and environment (as the kubelet resolves
 * them) go through the server's own configuration parser, which must accept them and must have asked for every
 * variable set; ports, probe paths and metric names are checked against a running control plane (on embedded
 * PostgreSQL) and running data-plane nodes: their route tables and their answers.
 */
class OverlayServersTest {
    private static final String LIB = "/opt/modelmesh/lib/*";
    /** Variables the JVM reads rather than a ModelMesh server. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    /** Seconds a JVM gets to stop after its drain (shutdown hooks, closing the engines). */
    private static final long STOP_MARGIN_SECONDS = 5;

    private static ControlPlane controlPlane;
    private static DataPlane joined;
    private static DataPlane orphan;
    private static Path controlPlaneHome;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static List<String> overlays() {
        return Overlays.names();
    }

    @BeforeAll
    static void startServers(@TempDir Path home, @TempDir Path orphanHome) {
        Kustomize.kubectl(); // without kubectl there is nothing to check: skip before starting anything
        controlPlaneHome = home;
        controlPlane = ControlPlane.start(ControlPlaneConfig.forTests(home));
        joined = DataPlane.start(DataPlaneConfig.forTests(controlPlane.uri(), home).withNodeId("joined"));
        // a node whose control plane never answers: no routing table, so not ready, but alive
        orphan = DataPlane.start(DataPlaneConfig.forTests(URI.create("http://127.0.0.1:9"), orphanHome)
                .withNodeId("orphan"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> get(joined.uri(), "/v2/health/ready") == 200);
        // a served version, so the node's per-version series (the autoscaler's admission gauges) exist
        register("iris", Kustomize.repository().resolve("fixtures/models/iris.onnx"));
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> get(joined.uri(), "/v2/models/iris/ready")
                == 200);
    }

    /** POST /models as multipart with the control plane's bootstrap admin token (its HOME/admin-token). */
    private static void register(String name, Path artifact) {
        try {
            String boundary = "mm-" + System.nanoTime();
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name
                    + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + artifact.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
            body.writeBytes(head.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.writeBytes(Files.readAllBytes(artifact));
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String token = Files.readString(controlPlaneHome.resolve("admin-token")).trim();
            HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(controlPlane.uri().resolve("/models"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, res.statusCode(), res.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable c : new AutoCloseable[] {orphan, joined, controlPlane}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theControlPlaneReadsItsContainerAsWritten(String overlay, @TempDir Path files) {
        Rendered r = Overlays.rendered(overlay);
        Deployment d = r.deployment("controlplane");
        Container c = Rendered.container(d);
        assertEquals(List.of("java", "-cp", LIB, io.modelmesh.controlplane.Main.class.getName()), c.getCommand());
        PodEnvironment pod = PodEnvironment.of(r, d.getSpec().getTemplate().getSpec(), c, files);
        RecordingEnvironment env = new RecordingEnvironment(pod.env());
        ControlPlaneConfig config = ControlPlaneConfig.fromArgs(pod.args(), env);

        assertFalse(Loopback.is(config.host()), "bound to loopback, nodes and clients could not reach it");
        assertEquals(config.port(), Rendered.port(c, new io.fabric8.kubernetes.api.model.IntOrString("http"))
                .getContainerPort());
        assertFalse(config.embeddedDatabase(), "the database is external (MM_DATABASE_URL)");
        assertNotNull(config.databaseUser());
        assertNotNull(config.databasePassword(), "the password file from the Secret was read");
        assertNotNull(config.adminToken(), "MM_ADMIN_TOKEN");
        assertNotNull(config.joinToken(), "MM_JOIN_TOKEN: the one nodes join with");
        assertEquals("persistentVolumeClaim", volumeKind(d, c, config.home().toString()),
                "MM_HOME holds the artifact store: it must outlive the pod");
        assertEquals(1, d.getSpec().getReplicas(), "one control plane per artifact store on this version "
                + "(docs/deploy.md, 'Several control planes')");
        assertEquals("Recreate", d.getSpec().getStrategy().getType(), "never two control planes at once");
        onlyVariablesTheServerReads(c, pod, env.asked());
        scrapable(r, config.publicMetrics());
        jvmSizedByLimits(c);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theDataPlaneReadsItsContainerAsWritten(String overlay, @TempDir Path files) {
        Rendered r = Overlays.rendered(overlay);
        Deployment d = r.deployment("dataplane");
        Container c = Rendered.container(d);
        assertEquals(List.of("java", "-cp", LIB, io.modelmesh.dataplane.Main.class.getName()), c.getCommand());
        PodEnvironment pod = PodEnvironment.of(r, d.getSpec().getTemplate().getSpec(), c, files);
        RecordingEnvironment env = new RecordingEnvironment(pod.env());
        DataPlaneConfig config = DataPlaneConfig.fromArgs(pod.args(), env);
        SamplerConfig.fromEnv(env); // what DataPlane.start reads besides
        CacheConfig cache = CacheSettings.read(env);

        assertFalse(Loopback.is(config.host()), "bound to loopback, the control plane and clients could not reach it");
        int port = Rendered.port(c, new io.fabric8.kubernetes.api.model.IntOrString("http")).getContainerPort();
        assertEquals(config.port(), port);
        assertEquals(PodEnvironment.POD_NAME, config.nodeId(), "each pod joins as its own node");
        assertEquals("http://" + PodEnvironment.POD_IP + ":" + port, config.advertisedUrl(),
                "the control plane pushes to the pod itself, not to the Service");
        assertFalse(config.anonymousPredict(), "predictions need a token off loopback");
        assertInstanceOf(CacheConfig.Redis.class, cache, "the shared prediction cache is Redis (MM_REDIS_URL)");
        assertNotNull(config.joinTokenFile());
        assertTrue(Files.isReadable(config.joinTokenFile()), "--join-token-file names a file of a Secret volume");

        Service cpService = r.get(Service.class, "modelmesh-controlplane");
        assertEquals(1, config.controlPlane().size(), "one URL: the control plane's Service");
        assertEquals(cpService.getMetadata().getName(), config.controlPlane().getFirst().getHost(),
                "MM_CONTROL_PLANE names the control plane's Service");
        assertEquals(cpService.getSpec().getPorts().get(0).getPort(), config.controlPlane().getFirst().getPort());
        assertEquals("emptyDir", volumeKind(d, c, config.home().toString()), "a node's home is a cache");

        long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();
        long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        long drain = config.serving().drainTimeout().toSeconds();
        assertTrue(grace >= preStop + drain + STOP_MARGIN_SECONDS, "terminationGracePeriodSeconds " + grace
                + " must cover the preStop pause (" + preStop + " s), the drain (--drain-timeout " + drain
                + " s) and " + STOP_MARGIN_SECONDS + " s to stop, else the kubelet kills requests in flight");
        onlyVariablesTheServerReads(c, pod, env.asked());
        scrapable(r, config.publicMetrics());
        jvmSizedByLimits(c);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAskTheServersWhatTheyAnswer(String overlay) throws Exception {
        Rendered r = Overlays.rendered(overlay);
        Container cp = Rendered.container(r.deployment("controlplane"));
        Container dp = Rendered.container(r.deployment("dataplane"));
        for (Probe p : List.of(cp.getStartupProbe(), cp.getLivenessProbe(), cp.getReadinessProbe())) {
            checkProbe(cp, p, controlPlane.routes(), controlPlane.uri(), 200);
        }
        checkProbe(dp, dp.getStartupProbe(), joined.routes(), joined.uri(), 200);
        checkProbe(dp, dp.getLivenessProbe(), joined.routes(), joined.uri(), 200);
        checkProbe(dp, dp.getReadinessProbe(), joined.routes(), joined.uri(), 200);
        // a node without a table (its control plane never answered) is alive but not ready
        assertEquals(200, get(orphan.uri(), dp.getLivenessProbe().getHttpGet().getPath()),
                "liveness must not depend on the control plane: restarting a node does not bring it back");
        assertEquals(200, get(orphan.uri(), dp.getStartupProbe().getHttpGet().getPath()));
        assertEquals(503, get(orphan.uri(), dp.getReadinessProbe().getHttpGet().getPath()),
                "readiness must fail until the node has a routing table");
        assertNotNull(cp.getReadinessProbe().getHttpGet(), "the control plane's readiness asks GET /health");
    }

    @Test
    void aDrainingNodeFailsReadinessAndStaysAlive(@TempDir Path home) throws Exception {
        Rendered r = Overlays.rendered("prod");
        Container dp = Rendered.container(r.deployment("dataplane"));
        String joinToken = Files.readString(controlPlaneHome.resolve("join-token")).trim();
        DataPlane node = DataPlane.start(DataPlaneConfig.forTests(controlPlane.uri(), home).withNodeId("draining")
                .withJoinToken(joinToken)
                // a shorter drain than the manifests' keeps the test short; the behaviour is the same
                .withServing(new ServingDefaults(0, 0, null, Duration.ofSeconds(10))));
        URI uri = node.uri();
        try {
            String ready = dp.getReadinessProbe().getHttpGet().getPath();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> get(uri, ready) == 200);
            // a request in flight holds the drain open while the probes are asked
            HttpRequest slow = HttpRequest.newBuilder(uri.resolve("/echo"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(new StallingBody())).build();
            var inFlight = HTTP.sendAsync(slow, HttpResponse.BodyHandlers.discarding());
            // its first bytes are held by the node: the request is in flight
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> gauge(uri, "request_body_bytes") > 0);
            Thread closer = Thread.ofVirtual().start(node::close);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> get(uri, ready) == 503);
            assertEquals(200, get(uri, dp.getLivenessProbe().getHttpGet().getPath()),
                    "a draining node is alive: the kubelet must not restart it mid-drain");
            inFlight.cancel(true);
            closer.join(Duration.ofSeconds(40));
        } finally {
            node.close();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theAutoscalersMetricIsServedFromTheNodesMetrics(String overlay) throws Exception {
        Rendered r = Overlays.rendered(overlay);
        JsonNode values = new YAMLMapper().readTree(Kustomize.repository()
                .resolve("k8s/prometheus-adapter/values.yaml").toFile());
        Set<String> served = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        // a series selector names its metric right before its labels: admission_running{...}
        Pattern metric = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\{");
        for (JsonNode rule : values.path("rules").path("custom")) {
            served.add(rule.path("name").path("as").asText());
            for (String field : List.of(rule.path("seriesQuery").asText(), rule.path("metricsQuery").asText())) {
                Matcher m = metric.matcher(field);
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
            used.add(rule.path("name").path("matches").asText().replaceAll("^\\^|\\$$", ""));
        }
        assertFalse(used.isEmpty(), "the adapter rule should read the nodes' metrics");
        Set<String> exported = exportedMetrics(joined.uri());
        assertTrue(exported.containsAll(used), "the adapter rule reads " + used + " but a node exports only "
                + exported);
        HorizontalPodAutoscaler hpa = r.get(HorizontalPodAutoscaler.class, "modelmesh-dataplane");
        for (MetricSpec m : hpa.getSpec().getMetrics()) {
            if (m.getType().equals("Pods")) {
                assertTrue(served.contains(m.getPods().getMetric().getName()), "the autoscaler asks for "
                        + m.getPods().getMetric().getName() + " but the adapter serves " + served);
            }
        }
        ServiceMonitor sm = r.get(ServiceMonitor.class, "modelmesh");
        for (var endpoint : sm.getSpec().getEndpoints()) {
            for (List<RouteInfo> routes : List.of(controlPlane.routes(), joined.routes())) {
                assertTrue(routes.stream().anyMatch(x -> x.method().equals("GET")
                        && x.pattern().equals(endpoint.getPath())), "no GET " + endpoint.getPath());
            }
        }
    }

    /** Every variable set on the container is read by the server, fills an argument, or is the JVM's. */
    private static void onlyVariablesTheServerReads(Container c, PodEnvironment pod, Set<String> asked) {
        List<String> unread = new ArrayList<>();
        for (String name : pod.env().keySet()) {
            if (!asked.contains(name) && !pod.expanded().contains(name) && !JVM_VARIABLES.contains(name)) {
                unread.add(name);
            }
        }
        assertTrue(unread.isEmpty(), c.getName() + " sets " + unread + ", which the server never reads (misspelt, or "
                + "meant for the other server?); it reads " + asked);
    }

    /** Prometheus can scrape: either /metrics is public or the ServiceMonitor sends a token. */
    private static void scrapable(Rendered r, boolean publicMetrics) {
        ServiceMonitor sm = r.get(ServiceMonitor.class, "modelmesh");
        if (!publicMetrics) {
            sm.getSpec().getEndpoints().forEach(e -> assertNotNull(e.getAuthorization(), r.overlay() + ": /metrics "
                    + "needs scope read (MM_PUBLIC_METRICS=false), so the ServiceMonitor must send a token"));
        }
    }

    private static void jvmSizedByLimits(Container c) {
        String options = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": JAVA_TOOL_OPTIONS sizes the JVM")).getValue();
        assertTrue(options.contains("-XX:MaxRAMPercentage="), c.getName() + ": heap from the memory limit");
        assertFalse(options.contains("-Xmx"), c.getName() + ": a fixed -Xmx ignores the container's limit");
        assertNotNull(c.getResources().getLimits().get("memory"), "MaxRAMPercentage is a share of the limit");
    }

    /** The kind of volume ({@code emptyDir}, {@code persistentVolumeClaim}, ...) mounted at {@code path}. */
    private static String volumeKind(Deployment d, Container c, String path) {
        VolumeMount m = c.getVolumeMounts().stream().filter(x -> x.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + ": nothing is mounted at " + path
                        + " (the root filesystem is read-only)"));
        assertFalse(Boolean.TRUE.equals(m.getReadOnly()), path + " must be writable");
        Volume v = d.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
        return v.getPersistentVolumeClaim() != null ? "persistentVolumeClaim"
                : v.getEmptyDir() != null ? "emptyDir" : "other";
    }

    /** The probe names the server's port, and an HTTP probe a public GET route that answers {@code expected}. */
    private static void checkProbe(Container c, Probe p, List<RouteInfo> routes, URI server, int expected)
            throws IOException, InterruptedException {
        assertNotNull(p, c.getName() + " should have startup, liveness and readiness probes");
        if (p.getHttpGet() != null) {
            Rendered.port(c, p.getHttpGet().getPort());
            String path = p.getHttpGet().getPath();
            assertTrue(routes.contains(new RouteInfo("GET", path, Access.PUBLIC)), c.getName() + " probes " + path
                    + ", which is not a public GET route of the server: " + routes.stream()
                    .filter(x -> x.access() == Access.PUBLIC).toList());
            assertEquals(expected, get(server, path), path);
        } else {
            assertNotNull(p.getTcpSocket(), c.getName() + ": an HTTP or TCP probe");
            Rendered.port(c, p.getTcpSocket().getPort());
        }
    }

    private static Set<String> exportedMetrics(URI server) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(server.resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Set<String> names = new TreeSet<>();
        text.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> names.add(l.split(" ")[2]));
        return names;
    }

    /** The value of an unlabelled gauge in the server's /metrics. */
    private static double gauge(URI server, String name) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(server.resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElseThrow(() -> new AssertionError("no gauge " + name));
    }

    static int get(URI server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A request body that sends nothing until cancelled, so its request stays in flight. */
    private static final class StallingBody implements java.util.concurrent.Flow.Publisher<java.nio.ByteBuffer> {
        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> s) {
            s.onSubscribe(new java.util.concurrent.Flow.Subscription() {
                private boolean sent;

                @Override
                public void request(long n) {
                    if (!sent) {
                        sent = true;
                        s.onNext(java.nio.ByteBuffer.wrap("{\"a\":".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    }
                }

                @Override
                public void cancel() {
                    // the request is abandoned
                }
            });
        }
    }
}
