package io.modelmesh.controlplane;

import io.modelmesh.api.ApplyRequest;
import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ErrorBody;
import io.modelmesh.api.ErrorDetail;
import io.modelmesh.api.ManifestChange;
import io.modelmesh.api.ManifestFile;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /manifests/apply} against a real control plane (embedded PostgreSQL) and a stand-in node. */
class ManifestApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path EXAMPLES = Path.of("..", "manifests", "examples").toAbsolutePath().normalize();

    @TempDir
    static Path home;

    static ControlPlane cp;
    static ModelMeshClient client;
    static Api api;
    static StubNode node;

    @BeforeAll
    static void start() {
        Path iris = Fixtures.irisOnnx();
        cp = ControlPlane.start(ControlPlaneConfig.forTests(home),
                new MutableClock(java.time.Instant.parse("2026-11-24T10:00:00Z")));
        client = ModelMeshClient.builder().controlPlane(cp.uri()).token(TestTokens.named(cp, "registrar")).build();
        api = Api.admin(cp);
        node = StubNode.start("node-m");
        node.join(api);
        for (String model : List.of("iris", "credit", "churn", "spam", "ads")) {
            client.register(Registration.of(model, iris));
            client.register(Registration.of(model, iris).withVersion("1.1.0"));
        }
    }

    @AfterAll
    static void stop() {
        if (cp != null) {
            cp.close();
        }
        if (node != null) {
            node.close();
        }
    }

    static String example(String file, String model) {
        try {
            return Files.readString(EXAMPLES.resolve(file)).replace("name: iris", "name: " + model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<byte[]> apply(boolean dryRun, ManifestFile... files) {
        return api.post("/manifests/apply", new ApplyRequest(List.of(files), dryRun), "Authorization", "Bearer " + TestTokens.named(cp, "alice"));
    }

    static ApplyResult ok(HttpResponse<byte[]> res) {
        assertEquals(200, res.statusCode(), Api.text(res));
        return api.read(res, ApplyResult.class);
    }

    static ErrorBody rejected(HttpResponse<byte[]> res) {
        assertEquals(400, res.statusCode(), Api.text(res));
        ErrorBody e = api.error(res);
        assertEquals("invalid_manifest", e.error());
        assertNotNull(e.details());
        return e;
    }

    static ErrorDetail detail(ErrorBody e, String field) {
        return e.details().stream().filter(d -> field.equals(d.field())).findFirst()
                .orElseThrow(() -> new AssertionError("no detail for " + field + " in " + e.details()));
    }

    static long rows(String model) {
        return cp.database().client().execute().get("SELECT count(*) AS n FROM deployments WHERE model = ?", model)
                .orElseThrow().column("n").get(Long.class);
    }

    static String source(String model, long modelRevision) {
        return cp.database().client().execute().get("SELECT source FROM deployments WHERE model = ? "
                + "AND model_revision = ?", model, modelRevision).orElseThrow().column("source").get(String.class);
    }

    /** The routing revision of the model's latest revision. */
    static long routingRevision(String model) {
        return cp.database().client().execute().get("SELECT max(revision) AS r FROM deployments WHERE model = ?",
                model).orElseThrow().column("r").get(Long.class);
    }

    @Test
    void diffThenApplyThenApplyAgainChangesNothing() throws Exception {
        ManifestFile canary = new ManifestFile("credit.yaml", example("canary.yaml", "credit"));
        long before = rows("credit");

        ManifestChange dry = ok(apply(true, canary)).changes().getFirst();
        assertEquals("configured", dry.action());
        assertNull(dry.revision());
        assertTrue(dry.diff().containsAll(List.of("spec.strategy: full -> canary",
                "spec.canary.version: (none) -> 1.1.0", "spec.canary.percent: (none) -> 10",
                "traffic: 1.0.0 100% -> 1.0.0 90%, 1.1.0 10% (canary)")), dry.diff().toString());
        assertEquals(before, rows("credit"), "a dry run writes nothing");

        ApplyResult applied = ok(apply(false, canary));
        assertEquals(false, applied.dryRun());
        ManifestChange c = applied.changes().getFirst();
        assertEquals("configured", c.action());
        assertEquals(dry.diff(), c.diff());
        assertEquals(dry.fromRevision(), c.fromRevision());
        assertNotNull(c.revision());
        assertEquals(1, c.nodesAcked(), c.errors().toString());
        assertEquals(1, c.nodesTotal());
        long routing = routingRevision("credit");
        RoutingTable pushed = node.awaitTable(t -> t.revision() >= routing, WAIT);
        assertEquals(List.of(RouteTarget.Role.STABLE, RouteTarget.Role.CANARY), pushed.models().get("credit").targets()
                .stream().map(RouteTarget::role).toList());
        assertEquals(before + 1, rows("credit"));

        ManifestChange again = ok(apply(false, canary)).changes().getFirst();
        assertEquals("unchanged", again.action());
        assertNull(again.revision());
        assertEquals(List.of(), again.diff());
        assertEquals(c.revision(), again.fromRevision());
        assertEquals(before + 1, rows("credit"), "applying the same manifest twice writes one revision");

        DeploymentStatus[] history = api.read(api.get("/deployments/credit/history"), DeploymentStatus[].class);
        assertEquals(c.revision(), history[0].id());
        assertEquals("apply credit.yaml: canary 1.1.0 at 10% beside 1.0.0", history[0].change());
        assertEquals("alice", history[0].createdBy());
        assertEquals("canary", history[0].spec().strategy().wireName());
        assertEquals("apply", source("credit", c.revision()));
    }

    @Test
    void anInvalidSecondFileLeavesTheFirstUnwritten() {
        long before = rows("churn");
        ManifestFile good = new ManifestFile("a.yaml", example("serving.yaml", "churn"));
        ManifestFile bad = new ManifestFile("b.yaml", """
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata:
                  name: spam
                spec:
                  strategy: canary
                  stable: 1.0.0
                  canary:
                    version: 1.1.0
                    percent: ten
                """);

        ErrorBody e = rejected(apply(false, good, bad));

        ErrorDetail d = detail(e, "spec.canary.percent");
        assertEquals("b.yaml", d.file());
        assertEquals(10, d.line());
        assertEquals(5, d.column());
        assertEquals("expected a whole number, got \"ten\"", d.message());
        assertEquals(1, e.details().size(), e.details().toString());
        assertTrue(e.message().contains("nothing was applied"), e.message());
        assertEquals(before, rows("churn"), "nothing written for the valid first file");
    }

    @Test
    void unknownVersionsAndModelsPointAtTheirLine() {
        ErrorBody e = rejected(apply(false, new ManifestFile("spam.yaml", """
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata:
                  name: spam
                spec:
                  strategy: canary
                  stable: 1.0.0
                  canary:
                    version: 3.0.0
                    percent: 5
                """), new ManifestFile("ghost.yaml", example("full.yaml", "ghost"))));

        ErrorDetail version = detail(e, "spec.canary.version");
        assertEquals("spam.yaml", version.file());
        assertEquals(9, version.line());
        assertEquals("version 3.0.0 of model 'spam' is not registered (registered: 1.0.0, 1.1.0)", version.message());
        ErrorDetail model = detail(e, "metadata.name");
        assertEquals("ghost.yaml", model.file());
        assertEquals(5, model.line());
        assertTrue(model.message().contains("model 'ghost' is not registered"), model.message());
    }

    @Test
    void yamlSyntaxErrorsCarryLineAndColumn() {
        ErrorBody e = rejected(apply(true, new ManifestFile("broken.yaml", """
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata: {name: spam
                spec:
                  strategy: full
                """)));
        ErrorDetail d = e.details().getFirst();
        assertEquals("broken.yaml", d.file());
        assertNotNull(d.line());
        assertNotNull(d.column());
        assertNull(d.field());
        assertTrue(d.message().startsWith("not valid YAML"), d.message());
    }

    @Test
    void aModelNamedTwiceIsRejectedAndSeveralModelsApplyTogether() {
        String twice = example("full.yaml", "ads") + "---\n" + example("canary.yaml", "ads");
        ErrorDetail d = detail(rejected(apply(false, new ManifestFile("ads.yaml", twice))), "metadata.name");
        assertTrue(d.message().contains("already deployed by the manifest at ads.yaml line 5"), d.message());

        String two = example("shadow.yaml", "ads") + "---\n" + example("ab.yaml", "spam");
        List<ManifestChange> changes = ok(apply(false, new ManifestFile("both.yaml", two))).changes();
        assertEquals(List.of("ads", "spam"), changes.stream().map(ManifestChange::model).toList());
        assertEquals(routingRevision("ads") + 1, routingRevision("spam"), "written together");
        assertTrue(changes.get(1).diff().contains("spec.ab.arms: (none) -> 1.0.0 50%, 1.1.0 50%"),
                changes.get(1).diff().toString());
    }

    @Test
    void everyExampleAppliesInTurnAndTwiceIsUnchanged() throws IOException {
        List<String> files = List.of("full.yaml", "canary.yaml", "canary-steps.yaml", "shadow.yaml", "ab.yaml",
                "serving.yaml");
        List<String> strategies = List.of("full", "canary", "canary", "shadow", "ab", "full");
        for (int i = 0; i < files.size(); i++) {
            String file = files.get(i);
            ManifestFile f = new ManifestFile(file, Files.readString(EXAMPLES.resolve(file)));
            ManifestChange first = ok(apply(false, f)).changes().getFirst();
            assertTrue(List.of("configured", "unchanged").contains(first.action()), file + ": " + first);
            ManifestChange second = ok(apply(false, f)).changes().getFirst();
            assertEquals("unchanged", second.action(), file);
            DeploymentStatus now = client.deployment("iris");
            assertEquals(strategies.get(i), now.spec().strategy().wireName(), file);
            assertEquals(first.revision() == null ? first.fromRevision() : first.revision(), now.id(), file);
        }
        DeploymentStatus last = client.deployment("iris");
        assertEquals(new ServingPolicy(32, 2, 60), last.route().policy());
        assertEquals("1.1.0", last.route().targets().getFirst().version());
    }
}
