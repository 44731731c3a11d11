package io.modelmesh.controlplane;

import io.modelmesh.metrics.PrometheusText;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.Page;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry over real HTTP on embedded PostgreSQL, through the SDK where it has a call. */
class RegistryApiTest {
    @TempDir
    static Path home;
    @TempDir
    static Path scratch;

    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static Path iris;
    static String irisSha;

    @BeforeAll
    static void start() throws Exception {
        iris = Fixtures.irisOnnx();
        irisSha = sha256(Files.readAllBytes(iris));
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.named(cp, "tester"))
                .timeout(Duration.ofSeconds(60)).build();
        api = Api.admin(cp);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void registersTheFixtureDetectingOnnxAndReadingItsSchema() {
        RegistrationResult r = client.register(Registration.of("iris", iris)
                .withFeatures(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"))
                .withMetadata(Map.of("team", "ml")));

        assertTrue(r.created());
        ModelVersion v = r.version();
        assertEquals("iris", v.model());
        assertEquals("1.0.0", v.version());
        assertEquals("onnx", v.framework());
        assertEquals(irisSha, v.sha256());
        assertEquals(size(iris), v.sizeBytes());
        assertEquals(List.of(new TensorSpec("input", "FP32", List.of(-1L, 4L))), v.schema().inputs());
        assertEquals(List.of("logits", "probabilities"), v.schema().outputs().stream().map(TensorSpec::name).toList());
        assertEquals(List.of("sepal_length", "sepal_width", "petal_length", "petal_width"), v.schema().features());
        assertEquals(Map.of("team", "ml"), v.metadata());
        assertNull(v.parent());
        assertEquals("tester", v.createdBy());
        assertNotNull(r.deployment(), "the first version of a new model goes live");
        assertEquals("deploy 1.0.0 at 100%", r.deployment().change());
        assertEquals(0, r.deployment().nodesTotal());

        ModelSummary s = client.model("iris");
        assertEquals(new ModelSummary("iris", "onnx", "1.0.0", "1.0.0", 1, v.createdAt()), s);
        assertEquals(List.of(v), client.versions("iris"), "what the POST answered is what GET reads");
        assertTrue(Files.exists(cp.artifactDirectory().resolve(irisSha)));
    }

    @Test
    void versionsAreAssignedInSemverOrderWithLineage() {
        client.register(Registration.of("lineage", iris).withVersion("1.2.0"));
        RegistrationResult ten = client.register(Registration.of("lineage", iris).withVersion("1.10.0"));
        RegistrationResult next = client.register(Registration.of("lineage", iris));

        assertEquals("1.2.0", ten.version().parent());
        assertNull(ten.deployment(), "only a new model's first version deploys by itself");
        assertEquals("1.11.0", next.version().version());
        assertEquals("1.10.0", next.version().parent());
        assertEquals(List.of("1.2.0", "1.10.0", "1.11.0"),
                client.versions("lineage").stream().map(ModelVersion::version).toList());

        ModelSummary s = client.model("lineage");
        assertEquals("1.11.0", s.latestVersion());
        assertEquals("1.2.0", s.liveVersion());
        assertEquals(3, s.versions());

        HttpResponse<byte[]> one = api.get("/models/lineage/versions/1.10.0");
        assertEquals(200, one.statusCode());
        assertEquals(ten.version(), api.read(one, ModelVersion.class));
        assertEquals(404, api.get("/models/lineage/versions/9.9.9").statusCode());
        assertTrue(api.error(api.get("/models/lineage/versions/9.9.9")).message().contains("1.2.0, 1.10.0, 1.11.0"));
        assertEquals(400, api.get("/models/lineage/versions/latest").statusCode());
        assertEquals(404, api.get("/models/nope/versions").statusCode());
        assertEquals(404, api.get("/models/nope").statusCode());
    }

    @Test
    void reRegisteringTheSameBytesIsIdempotent() throws IOException {
        RegistrationResult first = client.register(Registration.of("idem", iris).withVersion("1.0.0"));
        Counts before = counts();
        List<String> files = artifactFiles();

        RegistrationResult again = client.register(Registration.of("idem", iris).withVersion("1.0.0"));

        assertTrue(first.created());
        assertFalse(again.created());
        assertEquals(first.version(), again.version());
        assertNull(again.deployment());
        assertEquals(before, counts());
        assertEquals(files, artifactFiles());
    }

    @Test
    void sameVersionWithOtherBytesIsAConflict() throws IOException {
        client.register(Registration.of("conflict", iris).withVersion("2.0.0"));
        Path other = scratch.resolve("other.onnx");
        Files.write(other, new byte[] {8, 7, 18, 0});
        Counts before = counts();
        List<String> files = artifactFiles();

        ModelMeshException.ConflictException e = assertThrows(ModelMeshException.ConflictException.class,
                () -> client.register(Registration.of("conflict", other).withVersion("2.0.0")));

        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("version 2.0.0"), e.getMessage());
        assertTrue(e.getMessage().contains("immutable"), e.getMessage());
        assertEquals(before, counts());
        assertEquals(files, artifactFiles());
    }

    @Test
    void corruptModelIsRejectedWithNothingLeftBehind() throws IOException {
        Counts before = counts();
        List<String> files = artifactFiles();

        ModelMeshException e = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("broken", Fixtures.corruptOnnx())));

        assertEquals(422, e.status());
        assertEquals("invalid_model", e.error().error());
        assertTrue(e.getMessage().contains("not a valid ONNX model"), e.getMessage());
        assertFalse(e.getMessage().contains(".upload-"), "no temporary paths in messages: " + e.getMessage());
        assertEquals(before, counts());
        assertEquals(files, artifactFiles());
        assertThrows(ModelMeshException.NotFoundException.class, () -> client.model("broken"));
    }

    @Test
    void aWrongFrameworkAndUndetectableFilesAre422() throws IOException {
        Counts before = counts();
        List<String> files = artifactFiles();

        ModelMeshException wrong = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("pmml-model", iris).withFramework(Framework.PMML)));
        assertEquals(422, wrong.status());
        assertTrue(wrong.getMessage().contains("PMML"), wrong.getMessage());

        Path weights = scratch.resolve("weights.bin");
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        junk[0] = 'x';
        Files.write(weights, junk);
        ModelMeshException unknown = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("mystery", weights)));
        assertEquals(422, unknown.status());
        assertTrue(unknown.getMessage().contains("cannot tell the framework"), unknown.getMessage());

        assertEquals(before, counts());
        assertEquals(files, artifactFiles());
    }

    @Test
    void badFieldsAre400() {
        ModelMeshException badName = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("Bad Name", iris)));
        assertEquals(400, badName.status());
        assertTrue(badName.getMessage().contains("'Bad Name' is not allowed"), badName.getMessage());

        ModelMeshException badVersion = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("ok-name", iris).withVersion("1.0")));
        assertEquals(400, badVersion.status());
        assertTrue(badVersion.getMessage().contains("MAJOR.MINOR.PATCH"), badVersion.getMessage());

        HttpResponse<byte[]> notMultipart = api.post("/models", "{\"name\":\"iris\"}");
        assertEquals(415, notMultipart.statusCode());
        assertTrue(api.error(notMultipart).message().contains("multipart/form-data"));
    }

    @Test
    void formPartsMayComeInAnyOrder() throws IOException {
        String boundary = "b-123";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"iris.onnx\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(Files.readAllBytes(iris));
        body.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"deploy\"\r\n\r\nfalse\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nfile-first\r\n--" + boundary
                + "--\r\n").getBytes(StandardCharsets.US_ASCII));

        HttpResponse<byte[]> res = api.postRaw("/models", "multipart/form-data; boundary=" + boundary,
                body.toByteArray());

        assertEquals(201, res.statusCode(), Api.text(res));
        RegistrationResult r = api.read(res, RegistrationResult.class);
        assertEquals("file-first", r.version().model());
        assertNull(r.deployment(), "deploy=false");
        assertNull(client.model("file-first").liveVersion());
    }

    @Test
    void listingPaginatesAndFilters() {
        for (String n : List.of("page-c", "page-a", "page-b")) {
            client.register(Registration.of(n, iris).withDeploy(false));
        }
        Page<ModelSummary> first = client.listModels(0, 2, null);
        assertEquals(2, first.items().size());
        assertEquals(2, first.size());
        long total = first.total();
        assertTrue(total >= 3);

        List<String> all = new ArrayList<>();
        for (int p = 0; p * 2 < total; p++) {
            all.addAll(client.listModels(p, 2, null).items().stream().map(ModelSummary::name).toList());
        }
        assertEquals(total, all.size());
        assertEquals(all.stream().sorted().toList(), all, "pages are ordered by name");
        assertTrue(all.containsAll(List.of("page-a", "page-b", "page-c")));
        assertEquals(0, client.listModels((int) total, 2, null).items().size());

        assertEquals(total, client.listModels(0, 500, "onnx").total());
        assertEquals(0, client.listModels(0, 50, "pmml").total());

        assertEquals(400, api.get("/models?size=501").statusCode());
        assertEquals(400, api.get("/models?size=0").statusCode());
        assertEquals(400, api.get("/models?page=-1").statusCode());
        assertEquals(400, api.get("/models?page=two").statusCode());
        HttpResponse<byte[]> badFramework = api.get("/models?framework=keras");
        assertEquals(400, badFramework.statusCode());
        assertTrue(api.error(badFramework).message().contains("unknown framework 'keras'"));
    }

    @Test
    void artifactsAreStreamedWithLengthAndChecksum() throws IOException {
        RegistrationResult r = client.register(Registration.of("download", iris).withDeploy(false));
        HttpResponse<byte[]> res = api.get("/artifacts/" + r.version().sha256());

        assertEquals(200, res.statusCode());
        assertArrayEquals(Files.readAllBytes(iris), res.body());
        assertEquals(String.valueOf(size(iris)), res.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(irisSha, res.headers().firstValue("X-Checksum-Sha256").orElseThrow());
        assertEquals(sha256(res.body()), irisSha);

        assertEquals(400, api.get("/artifacts/not-a-sha").statusCode());
        assertEquals(400, api.get("/artifacts/" + "z".repeat(64)).statusCode());
        HttpResponse<byte[]> missing = api.get("/artifacts/" + "0".repeat(64));
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", api.error(missing).error());
    }

    @Test
    void errorsHaveOneJsonShapeAndEchoTheRequestId() {
        HttpResponse<byte[]> res = api.get("/models/nope", "X-Request-ID", "req-42");
        assertEquals(404, res.statusCode());
        ErrorBody e = api.error(res);
        assertEquals(new ErrorBody(404, "not_found", e.message(), "req-42"), e);
        assertEquals("req-42", res.headers().firstValue("X-Request-ID").orElseThrow());

        HttpResponse<byte[]> malformed = api.post("/deployments", "{\"model\": ", "X-Request-ID", "req-43");
        assertEquals(400, malformed.statusCode());
        ErrorBody m = api.error(malformed);
        assertTrue(m.message().startsWith("malformed JSON body: "), m.message());
        assertEquals("req-43", m.requestId());

        HttpResponse<byte[]> noRoute = api.get("/no/such/endpoint");
        assertEquals(404, noRoute.statusCode());
        assertTrue(api.error(noRoute).message().contains("no endpoint GET /no/such/endpoint"));

        HttpResponse<byte[]> missingFields = api.post("/deployments", new DeployRequest(null, null));
        assertEquals(400, missingFields.statusCode());
    }

    @Test
    void healthAndMetrics() {
        Map<String, Object> health = client.health();
        assertEquals("UP", health.get("status"));
        assertEquals(true, health.get("ready"));
        assertEquals(Map.of("database", "UP"), health.get("checks"));

        client.register(Registration.of("metered", iris).withDeploy(false));
        String metrics = Api.text(api.get("/metrics"));
        assertTrue(PrometheusText.value(metrics, "http_requests_total", Map.of("method", "POST", "route", "/models",
                "status", "201")).isPresent(),
                metrics);
        assertTrue(PrometheusText.value(metrics, "http_requests_total", Map.of("method", "GET", "route", "/health",
                "status", "200")).isPresent(),
                metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("models_registered ")), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("model_versions_registered ")), metrics);
        assertTrue(metrics.contains("# TYPE http_request_duration_seconds histogram"), metrics);
        assertTrue(PrometheusText.value(metrics, "model_registrations_total", Map.of("outcome", "created"))
                .isPresent(), metrics);
    }

    @Test
    void uploadsOverTheLimitAre413WithNothingLeftBehind() throws IOException {
        // a second control plane on the same database with a small limit and its own artifact directory
        Path otherHome = scratch.resolve("limited");
        ControlPlaneConfig limited = SharedDatabase.on(cp, otherHome).withMaxUploadBytes(1000);
        try (ControlPlane small = ControlPlane.start(limited)) {
            // one database, one set of tokens: the second control plane writes no admin-token of its own
            assertFalse(Files.exists(otherHome.resolve("admin-token")));
            ModelMeshClient smallClient = ModelMeshClient.builder().controlPlane(small.uri())
                    .token(TestTokens.admin(cp)).build();
            Counts before = counts();

            ModelMeshException.PayloadTooLargeException e = assertThrows(
                    ModelMeshException.PayloadTooLargeException.class,
                    () -> smallClient.register(Registration.of("too-large", iris)));
            assertEquals(413, e.status());
            assertTrue(e.getMessage().contains("1000 bytes"), e.getMessage());

            Path big = scratch.resolve("big.onnx");
            Files.write(big, new byte[8 * 1024 * 1024]);
            ModelMeshException.PayloadTooLargeException bigE = assertThrows(
                    ModelMeshException.PayloadTooLargeException.class,
                    () -> smallClient.register(Registration.of("too-large", big)));
            assertEquals(413, bigE.status());

            try (Stream<Path> left = Files.list(small.artifactDirectory())) {
                assertEquals(List.of(), left.toList(), "no temporary or stored file remains");
            }
            assertEquals(before, counts());
            assertEquals(404, Api.admin(cp).get("/models/too-large").statusCode());
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Row counts of the registry tables. */
    record Counts(long models, long versions, long artifacts, long deployments) {
    }

    static Counts counts() {
        return new Counts(count("models"), count("model_versions"), count("artifacts"), count("deployments"));
    }

    static long count(String table) {
        return cp.database().client().execute().get("SELECT count(*) AS n FROM " + table).orElseThrow()
                .column("n").get(Long.class);
    }

    static List<String> artifactFiles() throws IOException {
        try (Stream<Path> s = Files.list(cp.artifactDirectory())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
