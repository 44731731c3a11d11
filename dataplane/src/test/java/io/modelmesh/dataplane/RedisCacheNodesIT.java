package io.modelmesh.dataplane;

import io.modelmesh.metrics.PrometheusText;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.dataplane.cache.TestRedis;
import io.modelmesh.sdk.ModelMeshClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes sharing a real Redis as their prediction cache: a result computed on one answers the same input on the
 * other, and Redis killed in the middle of a stream of predictions fails none of them; caching resumes once Redis is
 * back.
 */
class RedisCacheNodesIT {
    private static final double TOLERANCE = 1e-5;
    private final JsonNode reference = Fixtures.reference();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;
    private TestRedis redis;
    private StubControlPlane cp;
    private DataPlane a;
    private DataPlane b;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        cp = new StubControlPlane();
        cp.serve(Fixtures.IRIS);
        cp.table = new RoutingTable(1, Instant.now(), Map.of("iris", new ModelRoute("iris",
                List.of(Fixtures.target("1.0.0", Fixtures.IRIS, Fixtures.IRIS_FEATURES)), null,
                new ServingPolicy(1, 0, 300))));
        DataPlaneConfig config = cp.nodeConfig(home).withRedisUrl(redis.url().toString());
        a = DataPlane.start(config.withNodeId("node-a"));
        b = DataPlane.start(config.withNodeId("node-b"));
        Await.until(() -> a.servingRevision() == 1 && b.servingRevision() == 1, Duration.ofSeconds(30),
                "both nodes to serve revision 1");
    }

    @AfterEach
    void stop() {
        for (DataPlane n : new DataPlane[] {a, b}) {
            if (n != null) {
                n.close();
            }
        }
        cp.close();
        redis.close();
    }

    @Test
    void aResultComputedOnOneNodeAnswersTheOther() {
        String body = "{\"inputs\": " + reference.at("/inputs/1") + "}";
        assertFalse(client(a).predict("iris", null, body).cached());
        Prediction onB = client(b).predict("iris", null, body);
        assertTrue(onB.cached(), "node-b found node-a's result in Redis");
        assertRow(reference.at("/outputs/logits/1"), onB.outputs().get("logits"));
    }

    @Test
    void redisDyingMidStreamFailsNoPredictionAndCachingComesBack() throws Exception {
        JsonNode inputs = reference.get("inputs");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ModelMeshClient client = client(t % 2 == 0 ? a : b);
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int i = 0; running.get(); i++) {
                        int row = (thread + i) % inputs.size();
                        try {
                            Prediction p = client.predict("iris", null, "{\"inputs\": " + inputs.get(row) + "}");
                            assertRow(reference.at("/outputs/logits/" + row), p.outputs().get("logits"));
                            answered.incrementAndGet();
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            Await.until(() -> answered.get() > 500, Duration.ofSeconds(60), "predictions with Redis up");
            redis.stop();
            long atStop = answered.get();
            Await.until(() -> metric(a, "bypass") > 0 && answered.get() > atStop + 2000, Duration.ofSeconds(60),
                    "predictions to go on with Redis down and the breaker open");
            redis.restart();
            long hitsBefore = metric(a, "hit");
            Await.until(() -> metric(a, "hit") > hitsBefore + 50, Duration.ofSeconds(60),
                    "cache hits to resume after Redis is back");
            running.set(false);
            for (Future<?> w : workers) {
                w.get(1, TimeUnit.MINUTES);
            }
        }
        assertEquals(List.of(), List.copyOf(failures), "no prediction may fail because of the cache");
    }

    private ModelMeshClient client(DataPlane node) {
        return ModelMeshClient.builder().controlPlane(cp.uri()).dataPlanes(List.of(node.uri())).build();
    }

    private long metric(DataPlane node, String result) {
        try {
            String text = http.send(HttpRequest.newBuilder(node.uri().resolve("/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return (long) PrometheusText.valueOrZero(text, "cache_events_total", java.util.Map.of("backend", "redis",
                    "result", result));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertRow(JsonNode expected, Object actual) {
        List<?> values = (List<?>) actual;
        assertEquals(expected.size(), values.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(expected.get(i).asDouble(), ((Number) values.get(i)).doubleValue(), TOLERANCE);
        }
    }
}
