package io.modelmesh.dataplane.metrics;

import io.modelmesh.metrics.PrometheusText;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PredictionMetricsTest {
    private static final Map<String, String> IRIS = Map.of("model", "iris", "version", "1.0.0");

    @Test
    void successesCountAsOkWithTheirLatency() {
        PredictionMetrics m = new PredictionMetrics();
        m.success("iris", "1.0.0", 80_000);          // 80 µs -> le 1e-4
        m.success("iris", "1.0.0", 3_000_000);       // 3 ms  -> le 0.005
        m.success("iris", "1.0.0", 20_000_000_000L); // 20 s -> +Inf only
        m.request("iris", "1.0.0", 503);
        m.request("iris", "1.0.0", 429);
        m.request("iris", "1.0.0", 400);
        m.request("iris", "1.0.0", 500);
        m.request(PredictionMetrics.UNKNOWN, "", 404);
        String text = m.render();
        assertEquals(0, bucket(text, "5.0E-5"));
        assertEquals(1, bucket(text, "1.0E-4"));
        assertEquals(2, bucket(text, "0.005"));
        assertEquals(2, bucket(text, "10.0"));
        assertEquals(3, bucket(text, "+Inf"));
        assertEquals(3, PrometheusText.valueOrZero(text, "prediction_latency_seconds_count", IRIS));
        assertEquals(3, predictions(text, "iris", "1.0.0", "ok"));
        assertEquals(1, predictions(text, "iris", "1.0.0", "unavailable"));
        assertEquals(1, predictions(text, "iris", "1.0.0", "rejected"));
        assertEquals(1, predictions(text, "iris", "1.0.0", "client_error"));
        assertEquals(1, predictions(text, "iris", "1.0.0", "error"));
        assertEquals(1, predictions(text, "_unknown", "", "client_error"));
    }

    @Test
    void rejectionsByModelAndReasonAndTheOtherServingMeters() {
        PredictionMetrics m = new PredictionMetrics();
        m.rejected("iris", "1.0.0", "queue_full");
        m.rejected("iris", "2.0.0", "queue_full");
        m.batch("iris", "1.0.0", 3);
        m.queueWait("iris", "1.0.0", 2_000_000);
        m.loaded("iris", 1_500_000_000L);
        m.loadFailed("iris");
        m.shadowCompared("iris", "2.0.0", true);
        m.shadowCompared("iris", "2.0.0", false);
        m.shadowCompared("iris", "2.0.0", null); // no labels to compare: not in the ratio
        String text = m.render();
        assertEquals(2, PrometheusText.valueOrZero(text, "requests_rejected_total",
                Map.of("model", "iris", "reason", "queue_full")));
        assertEquals(1, PrometheusText.valueOrZero(text, "batch_size_bucket", Map.of("model", "iris",
                "version", "1.0.0", "le", "4.0")));
        assertEquals(0, PrometheusText.valueOrZero(text, "batch_size_bucket", Map.of("model", "iris",
                "version", "1.0.0", "le", "2.0")));
        assertEquals(1, PrometheusText.valueOrZero(text, "queue_wait_seconds_bucket", Map.of("model", "iris",
                "version", "1.0.0", "le", "0.0025")));
        assertEquals(1, PrometheusText.valueOrZero(text, "model_load_seconds_count", Map.of("model", "iris")));
        assertEquals(1, PrometheusText.valueOrZero(text, "model_load_failures_total", Map.of("model", "iris")));
        assertEquals(0.5, PrometheusText.valueOrZero(text, "shadow_agreement_ratio", Map.of("model", "iris",
                "version", "2.0.0")));
        assertEquals(3, PrometheusText.valueOrZero(text, "shadow_events_total", Map.of("model", "iris",
                "version", "2.0.0", "result", "compared")));
    }

    private static double bucket(String text, String le) {
        return PrometheusText.valueOrZero(text, "prediction_latency_seconds_bucket", Map.of("model", "iris",
                "version", "1.0.0", "le", le));
    }

    static double predictions(String text, String model, String version, String outcome) {
        return PrometheusText.valueOrZero(text, "predictions_total", Map.of("model", model, "version", version,
                "outcome", outcome));
    }
}
