package io.modelmesh.controlplane;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelDeletion;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The artifact store's quota and free-space margin, deletion of versions and models, and clean-up at start. */
class StoreAndDeleteTest {
    @TempDir
    Path home;
    private ControlPlane cp;
    private ModelMeshClient client;
    private Api api;

    private void start(ControlPlaneConfig config) {
        cp = ControlPlane.start(config);
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.admin(cp))
                .timeout(Duration.ofSeconds(60))
                .build();
        api = Api.admin(cp);
    }

    @AfterEach
    void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void anUploadPastTheStoreQuotaIs507WithNothingHalfWrittenAndDeletingFreesTheRoom() throws IOException {
        long iris = Files.size(Fixtures.irisOnnx());
        long quotaBytes = iris + Files.size(Fixtures.model("iris.pt")) - 1; // room for either file, not both
        Limits quota = Limits.defaults().withStore(quotaBytes, 0);
        start(ControlPlaneConfig.forTests(home).withLimits(quota));
        assertTrue(client.register(Registration.of("iris", Fixtures.irisOnnx())).created());
        long rows = rows();

        ModelMeshException full = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("torch", Fixtures.model("iris.pt"))));
        assertEquals(507, full.status());
        assertEquals("insufficient_storage", full.error().error());
        assertTrue(full.getMessage().startsWith("the artifact store is full: it may hold " + quotaBytes
                + " bytes (MM_MAX_STORE_BYTES / --max-store-bytes)"), full.getMessage());
        assertEquals(rows, rows(), "nothing written");
        assertEquals(List.of(Fixtures.sha256(Fixtures.irisOnnx())), artifactFiles(), "no temporary file left");
        assertEquals(200, api.get("/health").statusCode(), "and the control plane keeps serving");

        client.undeploy("iris");
        client.delete("iris", null);
        assertEquals(List.of(), artifactFiles());
        assertTrue(client.register(Registration.of("torch", Fixtures.model("iris.pt"))).created(),
                "deleting made room");
    }

    @Test
    void anUploadThatWouldLeaveTheDiskUnderTheFreeSpaceMarginIs507() {
        start(ControlPlaneConfig.forTests(home).withLimits(Limits.defaults().withStore(Limits.NO_QUOTA,
                Long.MAX_VALUE / 2)));
        ModelMeshException e = assertThrows(ModelMeshException.class,
                () -> client.register(Registration.of("iris", Fixtures.irisOnnx())));
        assertEquals(507, e.status());
        assertTrue(e.getMessage().contains("under the margin of " + (Long.MAX_VALUE / 2) + " bytes this control "
                + "plane keeps (MM_MIN_FREE_BYTES / --min-free-bytes)"), e.getMessage());
    }

    @Test
    void aVersionIsDeletedOnlyOnceNoRoleServesItAndAModelOnlyOnceUndeployed() throws IOException {
        start(ControlPlaneConfig.forTests(home));
        client.register(Registration.of("iris", Fixtures.irisOnnx()));                  // 1.0.0, live at 100 %
        client.register(Registration.of("iris", Fixtures.model("iris.pt")).withVersion("1.1.0"));
        client.shadow(new ShadowRequest("iris", "1.1.0", 100));

        ModelMeshException stable = assertThrows(ModelMeshException.ConflictException.class,
                () -> client.delete("iris", "1.0.0"));
        assertTrue(stable.getMessage().startsWith("version 1.0.0 (stable, 100%) of model 'iris' serves traffic"),
                stable.getMessage());
        ModelMeshException shadow = assertThrows(ModelMeshException.ConflictException.class,
                () -> client.delete("iris", "1.1.0"));
        assertTrue(shadow.getMessage().startsWith("version 1.1.0 (shadow, mirrored 100%) of model 'iris' serves "
                + "traffic"), shadow.getMessage());
        ModelMeshException model = assertThrows(ModelMeshException.ConflictException.class,
                () -> client.delete("iris", null));
        assertTrue(model.getMessage().contains("take it off first with mmctl undeploy iris (DELETE /deployments/iris)"),
                model.getMessage());

        client.deploy("iris", "1.0.0"); // the shadow ends: 1.1.0 serves nothing now
        ModelDeletion one = client.delete("iris", "1.1.0");
        assertEquals(new ModelDeletion("iris", false, List.of("1.1.0"), List.of(Fixtures.sha256(Fixtures.model(
                "iris.pt"))), Files.size(Fixtures.model("iris.pt"))), one);
        assertEquals(List.of("1.0.0"), client.versions("iris").stream().map(v -> v.version()).toList());
        assertEquals(1, artifactFiles().size());

        DeploymentStatus off = client.undeploy("iris");
        assertTrue(off.route().targets().isEmpty());
        assertFalse(client.routing().models().containsKey("iris"), "nodes are told to drop it");
        ModelDeletion all = client.delete("iris", null);
        assertTrue(all.modelGone());
        assertEquals(List.of("1.0.0"), all.versions());
        assertEquals(List.of(Fixtures.sha256(Fixtures.irisOnnx())), all.artifacts());
        assertEquals(List.of(), artifactFiles());
        assertThrows(ModelMeshException.NotFoundException.class, () -> client.model("iris"));
        assertThrows(ModelMeshException.NotFoundException.class, () -> client.history("iris"));
        assertThrows(ModelMeshException.NotFoundException.class, () -> client.delete("iris", null),
                "a second delete finds nothing");
        assertEquals(0, rows(), "every row of the model is gone");
    }

    @Test
    void aVersionWithADriftReferenceIsDeletedWithItsReferenceAndWindow() throws IOException {
        // found by the README's walk-through (ReadmeCommandsTest): the drift tables' foreign key made this a 500
        start(ControlPlaneConfig.forTests(home));
        Path reference = Fixtures.model("iris_train.csv");
        client.register(Registration.of("iris", Fixtures.irisOnnx()).withFeatures(FEATURES));     // 1.0.0, live
        client.register(Registration.of("iris", Fixtures.model("iris_v2.onnx")).withVersion("1.1.0")
                .withFeatures(FEATURES).withReference(reference));
        assertEquals(1, count("drift_versions"), "1.1.0's reference is stored");

        assertEquals(List.of("1.1.0"), client.delete("iris", "1.1.0").versions());
        assertEquals(0, count("drift_versions"));

        client.register(Registration.of("iris", Fixtures.model("iris_v2.onnx")).withVersion("1.2.0")
                .withFeatures(FEATURES).withReference(reference));
        client.undeploy("iris");
        assertEquals(List.of("1.0.0", "1.2.0"), client.delete("iris", null).versions().stream().sorted().toList());
        assertEquals(0, count("drift_versions") + count("drift_window_chunks"));
        assertEquals(0, rows(), "every row of the model is gone");
    }

    private static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    private long count(String table) {
        return cp.database().client().execute().get("SELECT count(*) AS n FROM " + table).orElseThrow()
                .column("n").get(Long.class);
    }

    @Test
    void anArtifactSharedWithAnotherVersionStaysAndARollbackToADeletedVersionIsRefused() throws IOException {
        start(ControlPlaneConfig.forTests(home));
        RegistrationResult first = client.register(Registration.of("iris", Fixtures.irisOnnx()));
        long firstRevision = first.deployment().id();
        client.register(Registration.of("iris", Fixtures.irisOnnx()).withVersion("1.1.0")
                .withFeatures(List.of("a", "b", "c", "d")));
        client.deploy("iris", "1.1.0");
        ModelDeletion d = client.delete("iris", "1.0.0");
        assertEquals(List.of(), d.artifacts(), "1.1.0 has the same bytes: the file stays");
        assertEquals(1, artifactFiles().size());
        ModelMeshException e = assertThrows(ModelMeshException.ConflictException.class,
                () -> client.rollback("iris", firstRevision));
        assertTrue(e.getMessage().contains("routes to version 1.0.0 of model 'iris', which was deleted"),
                e.getMessage());
        HttpResponse<byte[]> bad = api.delete("/models/iris/versions/not-a-version");
        assertEquals(400, bad.statusCode());
    }

    @Test
    void temporaryUploadsAndOrphanFilesLeftByACrashAreRemovedAtStart() throws IOException {
        Path artifacts = Files.createDirectories(home.resolve("artifacts"));
        Path upload = Files.write(artifacts.resolve(".upload-4f1c.tmp"), new byte[1024]);
        Files.setLastModifiedTime(upload, FileTime.from(Instant.now())); // fresh: a crash a second ago
        Path orphan = Files.write(artifacts.resolve("ab".repeat(32)), new byte[10]);
        Path validationTmp = Files.createDirectories(home.resolve("validation/tmp/1234"));
        start(ControlPlaneConfig.forTests(home));
        assertFalse(Files.exists(upload), "temporary upload removed");
        assertFalse(Files.exists(orphan), "file without a registry row removed");
        assertFalse(Files.exists(validationTmp), "a validation child's temporary directory removed");
        assertTrue(client.register(Registration.of("iris", Fixtures.irisOnnx())).created());
    }

    private long rows() {
        long n = 0;
        for (String table : List.of("models", "model_versions", "artifacts", "deployments", "rollouts",
                "shadow_comparisons")) {
            n += cp.database().client().execute().get("SELECT count(*) AS n FROM " + table).orElseThrow()
                    .column("n").get(Long.class);
        }
        return n;
    }

    private List<String> artifactFiles() throws IOException {
        try (Stream<Path> files = Files.list(cp.artifactDirectory())) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
