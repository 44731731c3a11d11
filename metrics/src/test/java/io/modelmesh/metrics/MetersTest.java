package io.modelmesh.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Timer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetersTest {

    @Test
    void namesAndLabelsAreExactlyTheGivenOnes() {
        Meters m = Meters.create();
        Counter c = m.counter("x_requests_total", "Things", "route", "status").labels("/models", "200");
        c.increment();
        c.increment();
        m.counter("x_requests_total", "Things", "route", "status").labels("/a\"b", "500").increment();
        Timer t = m.timer("x_latency_seconds", "Time", Meters.PREDICTION_SECONDS, "model").labels("iris");
        t.record(80_000, TimeUnit.NANOSECONDS);      // 80 µs -> le 1e-4
        t.record(3, TimeUnit.MILLISECONDS);          // -> le 0.005
        t.record(20, TimeUnit.SECONDS);              // -> +Inf only
        m.histogram("x_batch_size", "Rows", new long[] {1, 2, 4, 8}, "model").labels("iris").record(3);
        m.gauge("x_revision", "Revision", () -> 7);
        String text = m.scrape();

        Map<String, String> families = PrometheusText.families(text);
        assertEquals("counter", families.get("x_requests_total"), text);
        assertEquals("histogram", families.get("x_latency_seconds"), text);
        assertEquals("histogram", families.get("x_batch_size"), text);
        assertEquals("gauge", families.get("x_revision"), text);
        assertFalse(text.contains("scope="), "Helidon's scope tag is not exposed: " + text);
        assertFalse(text.contains("quantile="), "no client-side percentiles: " + text);
        assertEquals(2, PrometheusText.valueOrZero(text, "x_requests_total", Map.of("route", "/models",
                "status", "200")));
        assertEquals(1, PrometheusText.valueOrZero(text, "x_requests_total", Map.of("route", "/a\"b",
                "status", "500")));
        assertEquals(0, bucket(text, "x_latency_seconds", "5.0E-5"));
        assertEquals(1, bucket(text, "x_latency_seconds", "1.0E-4"));
        assertEquals(2, bucket(text, "x_latency_seconds", "0.005"));
        assertEquals(2, bucket(text, "x_latency_seconds", "10.0"));
        assertEquals(3, bucket(text, "x_latency_seconds", "+Inf"));
        assertEquals(0, PrometheusText.valueOrZero(text, "x_batch_size_bucket", Map.of("model", "iris", "le", "2.0")));
        assertEquals(1, PrometheusText.valueOrZero(text, "x_batch_size_bucket", Map.of("model", "iris", "le", "4.0")));
        assertEquals(7, PrometheusText.valueOrZero(text, "x_revision", Map.of()));
        assertTrue(families.containsKey("memory_used_heap_bytes"),
                "Helidon's JVM meters are there: " + families.keySet());
    }

    @Test
    void lockFreeHistogramsAreInTheSameExposition() {
        Meters m = Meters.create();
        LockFreeHistogram.Child h = m.fastHistogram("f_latency_seconds", "Fast", Meters.PREDICTION_SECONDS, "model")
                .labels("iris");
        h.observeNanos(80_000);
        h.observeNanos(3_000_000);
        h.observeNanos(20_000_000_000L);
        m.counter("f_total", "F").labels().increment();
        String text = m.scrape();
        assertEquals("histogram", PrometheusText.families(text).get("f_latency_seconds"), text);
        assertEquals("counter", PrometheusText.families(text).get("f_total"), text);
        Map<String, String> iris = Map.of("model", "iris");
        assertEquals(3, PrometheusText.valueOrZero(text, "f_latency_seconds_count", iris));
        assertEquals(20.00308, PrometheusText.valueOrZero(text, "f_latency_seconds_sum", iris), 1e-9);
        assertEquals(1, PrometheusText.valueOrZero(text, "f_latency_seconds_bucket", Map.of("model", "iris",
                "le", "1.0E-4")));
        assertEquals(2, PrometheusText.valueOrZero(text, "f_latency_seconds_bucket", Map.of("model", "iris",
                "le", "10.0")));
        assertEquals(3, PrometheusText.valueOrZero(text, "f_latency_seconds_bucket", Map.of("model", "iris",
                "le", "+Inf")));
        assertEquals(3, h.count());
        assertFalse(Meters.create().scrape().contains("f_latency_seconds"), "another server's registry");
    }

    @Test
    void eachServerHasItsOwnSeries() {
        Meters a = Meters.create();
        Meters b = Meters.create();
        a.counter("y_total", "Y").labels().increment();
        a.gauge("y_revision", "R", () -> 1);
        b.gauge("y_revision", "R", () -> 2);
        assertEquals(1, PrometheusText.valueOrZero(a.scrape(), "y_total", Map.of()));
        assertFalse(b.scrape().contains("y_total"), b.scrape());
        assertEquals(1, PrometheusText.valueOrZero(a.scrape(), "y_revision", Map.of()));
        assertEquals(2, PrometheusText.valueOrZero(b.scrape(), "y_revision", Map.of()));
    }

    @Test
    void labelledGaugesFollowTheirSource() {
        Meters m = Meters.create();
        Map<List<String>, Double> source = new HashMap<>(Map.of(List.of("iris", "1.0.0"), 0.5));
        m.gauges("z_ratio", "Z", () -> Map.copyOf(source), "model", "version");
        assertEquals(0.5, PrometheusText.valueOrZero(m.scrape(), "z_ratio", Map.of("model", "iris",
                "version", "1.0.0")));
        source.put(List.of("iris", "1.0.0"), 0.75);
        source.put(List.of("iris", "2.0.0"), 1.0);
        String text = m.scrape();
        assertEquals(0.75, PrometheusText.valueOrZero(text, "z_ratio", Map.of("model", "iris", "version", "1.0.0")));
        assertEquals(1.0, PrometheusText.valueOrZero(text, "z_ratio", Map.of("model", "iris", "version", "2.0.0")));
        source.remove(List.of("iris", "1.0.0"));
        assertTrue(PrometheusText.value(m.scrape(), "z_ratio", Map.of("model", "iris", "version", "1.0.0"))
                .isEmpty(), "a label set that left its source loses its series");
    }

    @Test
    void refusesNamesThatWouldBeExposedOtherwise() {
        Meters m = Meters.create();
        assertThrows(IllegalArgumentException.class, () -> m.counter("requests", "no _total"));
        assertThrows(IllegalArgumentException.class, () -> m.timer("latency", "no _seconds", Meters.LATENCY_SECONDS));
        assertThrows(IllegalArgumentException.class, () -> m.counter("a-b_total", "bad"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("c_total", "c", "model").labels());
    }

    private static double bucket(String text, String name, String le) {
        return PrometheusText.valueOrZero(text, name + "_bucket", Map.of("model", "iris", "le", le));
    }
}
