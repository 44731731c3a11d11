package io.modelmesh.dataplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Json;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revisions switch while requests run: every switch loads a new ONNX session and retires the old one (the two targets
 * bind different feature names, so they cannot share a loaded model), and no request may fail or see a closed model.
 */
class SwitchUnderLoadIT {
    private final ObjectMapper json = Json.mapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path home;
    private StubControlPlane cp;
    private DataPlane node;

    @BeforeEach
    void start() throws Exception {
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = table(1);
        node = DataPlane.start(cp.nodeConfig(home));
        Await.until(() -> node.servingRevision() == 1, Duration.ofSeconds(30), "revision 1");
    }

    @AfterEach
    void stop() {
        node.close();
        cp.close();
    }

    private static RoutingTable table(long revision) {
        boolean named = revision % 2 == 1;
        return Fixtures.table(revision, "iris", Fixtures.target(named ? "1.0.0" : "2.0.0", Fixtures.IRIS,
                named ? Fixtures.IRIS_FEATURES : List.of()));
    }

    @Test
    void noRequestFailsWhileModelsAreSwappedAndClosed() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> sent = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                sent.add(clients.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(node.uri().resolve("/predict/iris"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [5.1, 3.5, 1.4, 0.2]}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        outcomes.merge(res.statusCode() + (res.statusCode() == 200 ? "" : " " + res.body()), 1, Integer::sum);
                        if (res.statusCode() == 200) {
                            versions.add(json.readTree(res.body()).get("model_version").asText());
                        }
                        n++;
                    }
                    return n;
                }));
            }
            for (long revision = 2; revision <= 41; revision++) {
                RoutingAck ack = push(table(revision));
                assertTrue(ack.applied(), ack.toString());
                assertEquals(revision, ack.servingRevision());
            }
            running.set(false);
            int total = 0;
            for (Future<Integer> f : sent) {
                total += f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(Map.of("200", total), outcomes, "every request answered 200 across 40 switches");
            assertEquals(Set.of("1.0.0", "2.0.0"), versions, "both versions answered");
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    private RoutingAck push(RoutingTable table) throws Exception {
        return cp.push(node, table);
    }
}
