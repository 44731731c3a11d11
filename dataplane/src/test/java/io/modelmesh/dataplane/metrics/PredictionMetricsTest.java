package io.modelmesh.dataplane.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictionMetricsTest {
    @Test
    void histogramBucketsAreCumulativeAndCountsMatch() {
        PredictionMetrics m = new PredictionMetrics();
        m.success("iris", "1.0.0", 80_000);        // 80 µs -> le 0.0001
        m.success("iris", "1.0.0", 3_000_000);     // 3 ms  -> le 0.005
        m.success("iris", "1.0.0", 20_000_000_000L); // 20 s -> +Inf only
        m.request("iris", "1.0.0", 503);
        m.request("nope", "", 404);
        String text = m.render();
        assertTrue(text.contains("mm_prediction_latency_seconds_bucket{model=\"iris\",version=\"1.0.0\",le=\"5.0E-5\"} 0"), text);
        assertTrue(text.contains("le=\"1.0E-4\"} 1"), text);
        assertTrue(text.contains("le=\"0.005\"} 2"), text);
        assertTrue(text.contains("le=\"10\"} 2"), text);
        assertTrue(text.contains("le=\"+Inf\"} 3"), text);
        assertTrue(text.contains("mm_prediction_latency_seconds_count{model=\"iris\",version=\"1.0.0\"} 3"), text);
        assertTrue(text.contains("mm_requests_total{model=\"iris\",version=\"1.0.0\",code=\"200\"} 3"), text);
        assertTrue(text.contains("mm_requests_total{model=\"iris\",version=\"1.0.0\",code=\"503\"} 1"), text);
        assertTrue(text.contains("mm_requests_total{model=\"nope\",version=\"\",code=\"404\"} 1"), text);
    }
}
