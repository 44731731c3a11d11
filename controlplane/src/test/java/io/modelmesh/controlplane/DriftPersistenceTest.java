package io.modelmesh.controlplane;

import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.DriftReport;
import io.modelmesh.api.FeatureRows;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.VersionDrift;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.Registration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A restart of the control plane loses neither a version's reference, nor its window, nor its last evaluation. */
class DriftPersistenceTest {
    @TempDir
    Path home;

    static void rows(Api api, StubNode node, List<float[]> rows) {
        Instant now = Instant.now();
        HttpResponse<byte[]> res = api.post("/nodes/" + node.nodeId() + "/outcomes", new OutcomeReport(node.nodeId(),
                node.serving(), now, now, List.of(), List.of(), List.of(new FeatureRows("kept", "1.0.0", rows,
                rows.size(), 0))));
        assertEquals(204, res.statusCode(), Api.text(res));
    }

    @Test
    void referenceWindowAndEvaluationSurviveARestart() throws Exception {
        DriftReport before;
        try (StubNode node = StubNode.start("node-p")) {
            try (ControlPlane first = ControlPlane.start(ControlPlaneConfig.forTests(home))) {
                ModelMeshClient client = TestTokens.adminClient(first);
                Api api = Api.admin(first);
                node.join(api);
                client.register(Registration.of("kept", Fixtures.irisOnnx()).withFeatures(MonitoringApiTest.FEATURES));
                client.deploy(new DeployRequest("kept", "1.0.0", null, null, null, 500));
                node.awaitTable(t -> t.models().containsKey("kept"), Duration.ofSeconds(30));
                rows(api, node, MonitoringApiTest.rows(1, 1000, -1, 0));
                rows(api, node, MonitoringApiTest.rows(2, 300, 0, 1.0));
                before = client.drift("kept");
                assertEquals("evaluated", before.versions().getFirst().state());
            }
            try (ControlPlane second = ControlPlane.start(ControlPlaneConfig.forTests(home))) {
                ModelMeshClient client = TestTokens.adminClient(second);
                assertEquals(before, client.drift("kept"), "as stored before the restart");

                Api api = Api.admin(second);
                node.join(api); // it serves the restarted control plane's table already: one database, one identity
                rows(api, node, MonitoringApiTest.rows(3, 40, 0, 1.0));
                VersionDrift after = client.drift("kept").versions().getFirst();
                assertEquals(500, after.referenceRows(), "the served reference is the first 500 rows, still");
                assertEquals(500, after.currentRows(), "the window was restored, not started again");
                assertEquals(1340, after.rowsReceived());
                assertEquals(before.versions().getFirst().evaluatedAt(), after.evaluatedAt(),
                        "40 new rows of 500 are not yet a tenth");
            }
        }
    }
}
