package io.modelmesh.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsRegistryTest {

    @Test
    void counterExposition() {
        MetricsRegistry r = new MetricsRegistry();
        Counter c = r.counter("x_total", "Things", "route", "status");
        c.inc("/models", "200");
        c.inc("/models", "200");
        c.inc("/a\"b", "500");
        String text = r.scrape();
        assertTrue(text.contains("# HELP x_total Things\n# TYPE x_total counter\n"), text);
        assertTrue(text.contains("x_total{route=\"/models\",status=\"200\"} 2\n"), text);
        assertTrue(text.contains("x_total{route=\"/a\\\"b\",status=\"500\"} 1\n"), text);
        assertEquals(2, c.value("/models", "200"));
    }

    @Test
    void histogramBucketsAreCumulative() {
        MetricsRegistry r = new MetricsRegistry();
        Histogram h = r.histogram("lat_seconds", "Latency", new double[] {0.1, 1}, "outcome");
        h.observe(0.05, "ok");
        h.observe(0.1, "ok");
        h.observe(0.5, "ok");
        h.observe(7, "ok");
        String text = r.scrape();
        assertTrue(text.contains("lat_seconds_bucket{outcome=\"ok\",le=\"0.1\"} 2\n"), text);
        assertTrue(text.contains("lat_seconds_bucket{outcome=\"ok\",le=\"1\"} 3\n"), text);
        assertTrue(text.contains("lat_seconds_bucket{outcome=\"ok\",le=\"+Inf\"} 4\n"), text);
        String sum = text.lines().filter(l -> l.startsWith("lat_seconds_sum{outcome=\"ok\"} ")).findFirst().orElseThrow();
        assertEquals(7.65, Double.parseDouble(sum.substring(sum.indexOf(' ') + 1)), 1e-9);
        assertTrue(text.contains("lat_seconds_count{outcome=\"ok\"} 4\n"), text);
        assertEquals(4, h.count("ok"));
    }

    @Test
    void gaugesReadAtScrapeTimeAndSurviveFailingSuppliers() {
        MetricsRegistry r = new MetricsRegistry();
        long[] v = {3};
        r.gauge("models", "Models", () -> v[0]);
        r.gauge("nodes", "Nodes", () -> Map.of(List.of("LIVE"), 2.0, List.of("DEAD"), 1.0), "state");
        r.gauge("broken", "Fails", () -> {
            throw new IllegalStateException("database down");
        });
        v[0] = 5;
        String text = r.scrape();
        assertTrue(text.contains("models 5\n"), text);
        assertTrue(text.contains("nodes{state=\"DEAD\"} 1\nnodes{state=\"LIVE\"} 2\n"), text);
        assertTrue(text.contains("# TYPE broken gauge\n"), text);
    }

    @Test
    void concurrentIncrementsAreAllCounted() throws Exception {
        MetricsRegistry r = new MetricsRegistry();
        Counter c = r.counter("n_total", "N", "k");
        Histogram h = r.histogram("h", "H", Histogram.LATENCY_SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 10_000; i++) {
                        c.inc("k" + (i % 3));
                        h.observe(i % 100 / 1000.0);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(80_000, c.value("k0") + c.value("k1") + c.value("k2"));
        assertEquals(80_000, h.count());
    }

    @Test
    void misuseIsRejected() {
        MetricsRegistry r = new MetricsRegistry();
        r.counter("a_total", "A", "x");
        assertThrows(IllegalArgumentException.class, () -> r.counter("a_total", "again"));
        assertThrows(IllegalArgumentException.class, () -> r.counter("bad-name", "B"));
        Counter c = r.counter("c_total", "C", "x");
        assertThrows(IllegalArgumentException.class, () -> c.inc());
        assertThrows(IllegalArgumentException.class, () -> c.add(-1, "v"));
        assertThrows(IllegalArgumentException.class, () -> r.histogram("h", "H", new double[] {1, 1}));
    }
}
