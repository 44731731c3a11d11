package io.modelmesh.controlplane;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbRequest;
import io.modelmesh.api.AliasRequest;
import io.modelmesh.api.ApplyRequest;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ManifestFile;
import io.modelmesh.api.ModelAlias;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RegistrationResult;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.api.Stage;
import io.modelmesh.api.StageRequest;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15 items 2 and 5 over real sockets and PostgreSQL: feature names carried over to a new version, metadata of a
 * re-registration, candidates with another input refused, aliases (set, list, delete, deploy/canary/manifest by
 * alias, carried in the routing table) and stages moved by rollouts and set by hand.
 */
class SchemasAliasesStagesApiTest {
    static final List<String> FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    @TempDir
    static Path home;

    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static Path iris;

    @BeforeAll
    static void start() {
        iris = Fixtures.irisOnnx();
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home));
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.named(cp, "ml")).build();
        api = Api.admin(cp);
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
    }

    @Test
    void aNewVersionWithoutFeatureNamesTakesThePreviousOnesAndItsCanaryStarts() {
        client.register(Registration.of("inherit", iris).withFeatures(FEATURES));
        RegistrationResult second = client.register(Registration.of("inherit", iris).withVersion("1.1.0"));
        assertEquals(FEATURES, second.version().schema().features(), "the artifact names none: 1.0.0's fit");
        assertEquals("1.0.0", second.featuresFrom());

        RolloutStatus canary = client.canary(new CanaryRequest("inherit", "1.1.0", 10, null, null, null, null, null,
                null));
        assertEquals("1.1.0", canary.canaryVersion(), "same input as the stable version: the canary starts");
        RegistrationResult own = client.register(Registration.of("inherit", iris).withVersion("1.2.0")
                .withFeatures(List.of("a", "b", "c", "d")));
        assertNull(own.featuresFrom(), "names given: nothing is carried over");
    }

    @Test
    void reRegisteringTheSameBytesUpdatesWhatIsSafeAndRefusesTheRest() {
        client.register(Registration.of("rereg", iris));
        RegistrationResult unrouted = client.register(Registration.of("rereg", iris).withVersion("1.1.0")
                .withDeploy(false));
        assertEquals(List.of(), unrouted.version().schema().features());

        RegistrationResult named = client.register(Registration.of("rereg", iris).withVersion("1.1.0")
                .withFeatures(FEATURES).withMetadata(Map.of("owner", "ml-team")));
        assertEquals(false, named.created());
        assertEquals(List.of("features", "metadata"), named.updated());
        assertEquals(FEATURES, client.versions("rereg").get(1).schema().features());
        assertEquals(Map.of("owner", "ml-team"), client.versions("rereg").get(1).metadata());

        RegistrationResult same = client.register(Registration.of("rereg", iris).withVersion("1.1.0")
                .withFeatures(FEATURES));
        assertEquals(List.of(), same.updated(), "nothing new: nothing updated");

        ModelMeshException.ConflictException other = assertThrows(ModelMeshException.ConflictException.class,
                () -> client.register(Registration.of("rereg", iris).withVersion("1.1.0")
                        .withFeatures(List.of("a", "b", "c", "d"))));
        assertTrue(other.getMessage().contains("already has feature names"), other.getMessage());
        ModelMeshException.ConflictException routed = assertThrows(ModelMeshException.ConflictException.class,
                () -> client.register(Registration.of("rereg", iris).withVersion("1.0.0").withFeatures(FEATURES)));
        assertTrue(routed.getMessage().contains("is routed"), routed.getMessage());
        assertThrows(ModelMeshException.InvalidRequestException.class, () -> client.register(
                Registration.of("rereg", iris).withVersion("1.0.0").withFeatures(List.of("a", "b"))));
    }

    @Test
    void aCandidateTakingAnotherInputIsRefusedWithTheDifferenceUnlessAllowed() {
        client.register(Registration.of("schema", iris).withFeatures(FEATURES));
        client.register(Registration.of("schema", iris).withVersion("1.1.0")
                .withFeatures(List.of("sepal_length", "sepal_width", "petal_length", "petal_area")));

        HttpResponse<byte[]> canary = api.post("/deployments/canary", new CanaryRequest("schema", "1.1.0", 10, null,
                null, null, null, null, null));
        assertEquals(409, canary.statusCode(), Api.text(canary));
        String m = api.error(canary).message();
        assertTrue(m.contains("features removed: [petal_width]") && m.contains("features added: [petal_area]")
                && m.contains("--allow-schema-change"), m);
        HttpResponse<byte[]> shadow = api.post("/deployments/shadow", new ShadowRequest("schema", "1.1.0", null));
        assertEquals(409, shadow.statusCode(), Api.text(shadow));
        HttpResponse<byte[]> ab = api.post("/deployments/ab", new AbRequest("schema", List.of(new AbArm("1.0.0", 50),
                new AbArm("1.1.0", 50)), null));
        assertEquals(409, ab.statusCode(), Api.text(ab));
        String manifest = "apiVersion: modelmesh.io/v1\nkind: ModelDeployment\nmetadata: {name: schema}\n"
                + "spec:\n  strategy: canary\n  stable: 1.0.0\n  canary: {version: 1.1.0, percent: 10}\n";
        HttpResponse<byte[]> applied = api.post("/manifests/apply", new ApplyRequest(List.of(
                new ManifestFile("schema.yaml", manifest)), false));
        assertEquals(409, applied.statusCode(), Api.text(applied));
        assertTrue(api.error(applied).message().startsWith("schema.yaml: "), Api.text(applied));
        assertEquals(1, client.history("schema").size(), "nothing was written");

        HttpResponse<byte[]> allowed = api.post("/manifests/apply", new ApplyRequest(List.of(new ManifestFile(
                "schema.yaml", manifest + "  allowSchemaChange: true\n")), false));
        assertEquals(200, allowed.statusCode(), Api.text(allowed));
        HttpResponse<byte[]> shadowAllowed = api.post("/deployments/shadow", new ShadowRequest("schema", "1.1.0",
                null, true));
        assertEquals(409, shadowAllowed.statusCode(), "allowed, but a canary runs: " + Api.text(shadowAllowed));
        assertTrue(api.error(shadowAllowed).message().contains("canary"), Api.text(shadowAllowed));
    }

    @Test
    void aliasesRoundTripAndNameVersionsEverywhere() {
        client.register(Registration.of("alias", iris).withFeatures(FEATURES));
        client.register(Registration.of("alias", iris).withVersion("1.1.0"));
        client.register(Registration.of("alias", iris).withVersion("1.2.0"));

        ModelAlias champion = client.setAlias("alias", "champion", "1.1.0");
        assertEquals("1.1.0", champion.version());
        assertEquals("ml", champion.updatedBy());
        assertEquals("1.1.0", client.setAlias("alias", "@champion", "1.1.0").version(), "setting it again: same");
        assertEquals("1.1.0", client.setAlias("alias", "backup", "@champion").version(), "an alias of an alias");
        assertEquals(List.of("backup", "champion"), client.aliases("alias").stream().map(ModelAlias::alias).toList());
        assertTrue(client.aliases().stream().anyMatch(a -> a.model().equals("alias") && a.alias().equals("champion")));

        RoutingTable table = client.routing();
        assertEquals(Map.of("backup", "1.1.0", "champion", "1.1.0"), table.models().get("alias").aliases(),
                "aliases travel to nodes in the routing table");
        DeploymentStatus last = client.history("alias").getFirst();
        assertEquals("alias @backup -> 1.1.0", last.change(), "an alias change is a revision nodes fetch");

        DeploymentStatus deployed = client.deploy(new DeployRequest("alias", "@champion"));
        assertEquals("1.1.0", deployed.spec().stable(), "resolved when planned: the spec names the version");
        client.setAlias("alias", "challenger", "1.2.0");
        RolloutStatus canary = client.canary(new CanaryRequest("alias", "@challenger", 10, null, null, null, null,
                null, null));
        assertEquals("1.2.0", canary.canaryVersion());
        String manifest = "apiVersion: modelmesh.io/v1\nkind: ModelDeployment\nmetadata: {name: alias}\n"
                + "spec: {strategy: full, stable: '@challenger'}\n";
        HttpResponse<byte[]> applied = api.post("/manifests/apply", new ApplyRequest(List.of(
                new ManifestFile("alias.yaml", manifest)), false));
        assertEquals(200, applied.statusCode(), Api.text(applied));
        assertEquals("1.2.0", client.deployment("alias").spec().stable());
        HttpResponse<byte[]> unknown = api.post("/manifests/apply", new ApplyRequest(List.of(
                new ManifestFile("alias.yaml", manifest.replace("@challenger", "@nobody"))), false));
        assertEquals(400, unknown.statusCode(), Api.text(unknown));
        assertTrue(Api.text(unknown).contains("has no alias @nobody"), Api.text(unknown));

        assertEquals(Optional.of("1.1.0"), client.deleteAlias("alias", "backup").map(ModelAlias::version));
        assertEquals(Optional.empty(), client.deleteAlias("alias", "backup"), "deleting again is not an error");
        assertEquals(List.of("champion", "challenger").stream().sorted().toList(),
                client.aliases("alias").stream().map(ModelAlias::alias).toList());
        assertEquals(404, api.put("/models/alias/aliases/x", new AliasRequest("9.9.9")).statusCode());
        assertEquals(400, api.put("/models/alias/aliases/Bad!", new AliasRequest("1.0.0")).statusCode());
        assertEquals(404, api.post("/deployments", new DeployRequest("alias", "@nobody")).statusCode());
    }

    @Test
    void rolloutsMoveStagesAndUsersSetThem() {
        RegistrationResult first = client.register(Registration.of("stages", iris));
        assertEquals(Stage.PRODUCTION, first.version().stage(), "the first version goes live at registration");
        RegistrationResult second = client.register(Registration.of("stages", iris).withVersion("1.1.0"));
        assertEquals(Stage.STAGING, second.version().stage(), "registered, not serving");

        client.canary(new CanaryRequest("stages", "1.1.0", 10, null, null, null, null, null, null));
        assertEquals(List.of(Stage.PRODUCTION, Stage.STAGING), stages("stages"), "a canary is not production yet");
        client.promote("stages");
        assertEquals(List.of(Stage.ARCHIVED, Stage.PRODUCTION), stages("stages"), "promoted; the old one replaced");
        client.rollback("stages", null);
        assertEquals(List.of(Stage.PRODUCTION, Stage.ARCHIVED), stages("stages"), "a rollback moves them back");

        HttpResponse<byte[]> archiveLive = api.put("/models/stages/versions/1.0.0/stage",
                new StageRequest(Stage.ARCHIVED));
        assertEquals(409, archiveLive.statusCode(), Api.text(archiveLive));
        ModelVersion set = client.setStage("stages", "1.1.0", Stage.STAGING);
        assertEquals(Stage.STAGING, set.stage());
        assertEquals(List.of(Stage.PRODUCTION, Stage.STAGING), stages("stages"));
        assertEquals(400, api.put("/models/stages/versions/1.1.0/stage", Map.of("stage", "live")).statusCode());
    }

    private static List<Stage> stages(String model) {
        return client.versions(model).stream().map(ModelVersion::stage).toList();
    }
}
