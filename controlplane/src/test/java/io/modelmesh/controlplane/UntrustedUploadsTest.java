package io.modelmesh.controlplane;

import io.modelmesh.api.Framework;
import io.modelmesh.engine.validate.ValidationLimits;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile uploads over real HTTP: each is refused with a 422 that says why, fast or at its limit, with nothing written,
 * while the control plane goes on answering.
 */
class UntrustedUploadsTest {
    private static final Duration TIME_LIMIT = Duration.ofSeconds(4);

    @TempDir
    static Path home;
    @TempDir
    static Path otherHome;
    @TempDir
    static Path hogHome;

    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;

    @BeforeAll
    static void start() {
        Limits limits = Limits.defaults().withValidation(new ValidationLimits(TIME_LIMIT,
                ValidationLimits.DEFAULT_MEMORY_BYTES));
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home).withMaxUploadBytes(8L << 20).withLimits(limits));
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.admin(cp))
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
    void aTorchScriptModelWhoseForwardNeverReturnsIsRefusedAtTheTimeLimitWhileTheControlPlaneKeepsAnswering() {
        long rows = rows();
        CompletableFuture<ModelMeshException> upload = CompletableFuture.supplyAsync(() -> assertThrows(
                ModelMeshException.class, () -> client.register(Registration.of("hang", Fixtures.model("hang.pt")))));
        long start = System.nanoTime();
        List<Long> answers = new ArrayList<>();
        while (!upload.isDone()) {
            long t = System.nanoTime();
            assertEquals(200, api.get("/health").statusCode());
            assertEquals(200, api.get("/models").statusCode());
            answers.add((System.nanoTime() - t) / 1_000_000);
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        ModelMeshException e = upload.join();
        assertEquals(422, e.status());
        assertTrue(e.getMessage().startsWith("hang.pt: loading and warming up the model did not finish within the "
                + "validation time limit of 4 s"), e.getMessage());
        assertTrue(e.getMessage().contains("MM_VALIDATION_TIMEOUT / --validation-timeout"), e.getMessage());
        assertTrue(tookMs < TIME_LIMIT.toMillis() + 4000, "refused at the limit, took " + tookMs + " ms");
        assertTrue(answers.size() > 5, "the control plane answered while validating: " + answers);
        // not blocked behind the hanging model: no answer waited anything like the validation's time limit (a loaded
        // machine makes single answers slow; speed itself is measured in bench/, not here)
        assertTrue(answers.stream().allMatch(ms -> ms < TIME_LIMIT.toMillis() / 2), "never blocked: " + answers);
        assertEquals(rows, rows(), "nothing written");
        assertNoArtifactFiles();
    }

    @Test
    void aTorchScriptModelThatKeepsAllocatingIsRefusedAtTheMemoryLimit() {
        // a control plane of its own with a time limit far away, so only the memory limit can stop the model
        Limits limits = Limits.defaults().withValidation(new ValidationLimits(Duration.ofSeconds(120), 1L << 30));
        ControlPlaneConfig config = SharedDatabase.on(cp, hogHome).withLimits(limits);
        try (ControlPlane memoryBound = ControlPlane.start(config)) {
            ModelMeshClient c = ModelMeshClient.builder().controlPlane(memoryBound.uri()).token(TestTokens.admin(cp))
                    .timeout(Duration.ofSeconds(150)).build();
            long start = System.nanoTime();
            ModelMeshException e = assertThrows(ModelMeshException.class,
                    () -> c.register(Registration.of("hog", Fixtures.model("hog.pt"))));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(422, e.status());
            assertTrue(e.getMessage().startsWith("hog.pt: loading and warming up the model took more than the "
                    + "validation memory limit of 1024 MiB"), e.getMessage());
            assertTrue(e.getMessage().contains("MM_VALIDATION_MEMORY / --validation-memory"), e.getMessage());
            assertTrue(tookMs < 60_000, "stopped by memory, long before the time limit: " + tookMs + " ms");
        }
    }

    @Test
    void anOnnxModelWithExternalDataIsRefused() {
        long rows = rows();
        ModelMeshException e = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("external", Fixtures.model("external_data.onnx"))));
        assertEquals(422, e.status());
        assertTrue(e.getMessage().contains("keeps tensor 'net.0.weight' in external data (location '../admin-token')"),
                e.getMessage());
        assertEquals(rows, rows());
        assertNoArtifactFiles();
    }

    @Test
    void aPickleDeclaringTwoGibibytesInNineBytesIsRefusedFast() {
        long rows = rows();
        long start = System.nanoTime();
        ModelMeshException e = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("binbytes", Fixtures.model("binbytes_2g.pkl"))));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(422, e.status());
        assertEquals("binbytes_2g.pkl: not a readable pickle/joblib file: a BINBYTES opcode declares 2147483632 bytes "
                + "at byte 7, but only 2 can follow within the file's 9 bytes", e.getMessage());
        assertTrue(tookMs < 3000, "refused fast: " + tookMs + " ms");
        assertEquals(rows, rows());
        assertNoArtifactFiles();
    }

    @Test
    void aGzipOfZerosThatInflatesPastTheUploadLimitIsRefusedFast() {
        long rows = rows();
        long start = System.nanoTime();
        ModelMeshException e = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("zeros", Fixtures.model("zeros.joblib"))));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(422, e.status());
        assertTrue(e.getMessage().endsWith("can follow within the limit of 8388608 bytes on decompressed pickle data "
                + "(the upload limit)"), e.getMessage());
        assertTrue(tookMs < 3000, "refused fast: " + tookMs + " ms");
        assertEquals(rows, rows());
        assertNoArtifactFiles();
    }

    @Test
    void operatorsCanRefuseFrameworksAndTorchScriptIsCalledWhatItIs() {
        Limits noTorch = Limits.defaults().withFrameworks(Set.of(Framework.ONNX, Framework.SKLEARN, Framework.PMML));
        ControlPlaneConfig config = SharedDatabase.on(cp, otherHome).withLimits(noTorch);
        try (ControlPlane restricted = ControlPlane.start(config)) {
            ModelMeshClient c = ModelMeshClient.builder().controlPlane(restricted.uri()).token(TestTokens.admin(cp))
                    .build();
            long rows = rows();
            ModelMeshException detected = assertThrows(ModelMeshException.class,
                    () -> c.register(Registration.of("torch", Fixtures.model("iris.pt"))));
            assertEquals(422, detected.status());
            assertEquals("the uploaded file is a torchscript model, which is not accepted: this control plane accepts "
                    + "onnx, sklearn, pmml models only (MM_ALLOWED_FRAMEWORKS / --allowed-frameworks); TorchScript is "
                    + "code that runs inside the servers, so operators allow it only for trusted publishers; export "
                    + "the model to one of those formats", detected.getMessage());
            ModelMeshException declared = assertThrows(ModelMeshException.class, () -> c.register(
                    Registration.of("torch", Fixtures.model("iris.pt")).withFramework(Framework.TORCHSCRIPT)));
            assertEquals(400, declared.status());
            assertTrue(declared.getMessage().startsWith("framework 'torchscript' is not accepted: this control plane "
                    + "accepts onnx, sklearn, pmml models only"), declared.getMessage());
            assertEquals(rows, rows());
            assertTrue(c.register(Registration.of("allowed-onnx", Fixtures.irisOnnx()).withDeploy(false)).created(),
                    "the allowed frameworks still register");
        }
    }

    @Test
    void theValidationChildSeesNoServerSecret() throws Exception {
        String args = Files.readString(home.resolve("validation/validator.args"));
        assertFalse(args.contains("MM_"), "no MM_ setting is passed to the child: " + args);
        HttpResponse<byte[]> health = api.get("/health");
        assertEquals(200, health.statusCode());
    }

    /** Rows of the registry tables, all together. */
    private static long rows() {
        long n = 0;
        for (String table : List.of("models", "model_versions", "artifacts", "deployments")) {
            n += cp.database().client().execute().get("SELECT count(*) AS n FROM " + table).orElseThrow()
                    .column("n").get(Long.class);
        }
        return n;
    }

    private static void assertNoArtifactFiles() {
        try (Stream<Path> files = Files.list(cp.artifactDirectory())) {
            List<Path> left = files.filter(p -> !p.getFileName().toString().startsWith(".store")).toList();
            List<String> names = left.stream().map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith(".upload-")), "no temporary upload left: " + names);
            assertEquals(List.of(), names.stream().filter(n -> n.length() == 64).toList(), "no artifact stored");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
