package io.modelmesh.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serving policy's ranges, its fallback rules, its wire form and how a deploy request changes it. */
class ServingPolicyTest {
    private final ObjectMapper json = Json.mapper();

    @Test
    void admissionSettingsAreBoundedAndZeroMeansTheNodesDefault() {
        ServingPolicy p = ServingPolicy.defaults();
        assertEquals(0, p.maxConcurrency());
        assertEquals(0, p.maxQueue());
        assertEquals(0, p.timeoutMs());
        assertEquals(ServingPolicy.Fallback.NONE, p.fallback());
        assertMessage("max_concurrency must be 0..4096", () -> p.withAdmission(4097, 0, 0));
        assertMessage("max_queue must be 0..65536", () -> p.withAdmission(0, -1, 0));
        assertMessage("timeout_ms must be 0..600000", () -> p.withAdmission(0, 0, 600_001));
    }

    @Test
    void fallbackDefaultNeedsAnOutputAndOnlyItTakesOne() {
        ServingPolicy p = ServingPolicy.defaults();
        assertMessage("fallback default needs default_output", () -> p.withFallback(ServingPolicy.Fallback.DEFAULT,
                null));
        assertMessage("default_output is only used by fallback default", () -> p.withFallback(
                ServingPolicy.Fallback.CACHED, Map.of("label", "unknown")));
        assertMessage("default_output.score must hold numbers only", () -> p.withFallback(
                ServingPolicy.Fallback.DEFAULT, Map.of("score", List.of(1, "x"))));
        assertMessage("equally long lists", () -> p.withFallback(ServingPolicy.Fallback.DEFAULT,
                Map.of("m", List.of(List.of(1, 2), List.of(3)))));
        assertMessage("finite", () -> p.withFallback(ServingPolicy.Fallback.DEFAULT, Map.of("s", Double.NaN)));
        assertMessage("more than 4096 values", () -> p.withFallback(ServingPolicy.Fallback.DEFAULT,
                Map.of("big", java.util.Collections.nCopies(4097, 0.5))));
    }

    @Test
    void theWireFormKeepsOutputNamesAndRoundTrips() throws Exception {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("label", "unknown");
        output.put("probabilities", Map.of("setosa", 0.5, "versicolor", 0.5));
        output.put("logits", List.of(0.0, 1.5, -2.0));
        ServingPolicy p = new ServingPolicy(1, 0, 0, 4, 32, 2000, ServingPolicy.Fallback.DEFAULT, output);
        String text = json.writeValueAsString(p);
        assertTrue(text.contains("\"max_concurrency\":4"), text);
        assertTrue(text.contains("\"fallback\":\"default\""), text);
        assertTrue(text.contains("\"default_output\":{\"label\":\"unknown\""), text);
        assertEquals(p, json.readValue(text, ServingPolicy.class));
        ServingPolicy old = json.readValue("{\"max_batch_size\":8,\"max_latency_ms\":2,\"cache_ttl_seconds\":0}",
                ServingPolicy.class);
        assertEquals(new ServingPolicy(8, 2, 0), old, "a policy written before admission control reads as defaults");
    }

    @Test
    void aDeployKeepsWhatItDoesNotNameAndZeroResetsToTheNodeDefault() {
        ServingPolicy current = new ServingPolicy(16, 2, 60, 8, 64, 1500, ServingPolicy.Fallback.DEFAULT,
                Map.of("label", "unknown"));
        DeployRequest keep = new DeployRequest("m", "1.0.0");
        assertEquals(current, keep.policyOver(current));
        DeployRequest reset = new DeployRequest("m", "1.0.0", null, null, null, null, 0, null, 0, null, null);
        ServingPolicy r = reset.policyOver(current);
        assertEquals(0, r.maxConcurrency());
        assertEquals(64, r.maxQueue());
        assertEquals(0, r.timeoutMs());
        assertEquals(Map.of("label", "unknown"), r.defaultOutput());
        ServingPolicy cached = new DeployRequest("m", "1.0.0", null, null, null, null, null, null, null,
                ServingPolicy.Fallback.CACHED, null).policyOver(current);
        assertEquals(ServingPolicy.Fallback.CACHED, cached.fallback());
        assertNull(cached.defaultOutput(), "another fallback drops the default output");
        ServingPolicy byOutput = new DeployRequest("m", "1.0.0", null, null, null, null, null, null, null, null,
                Map.of("label", "fallback")).policyOver(ServingPolicy.defaults());
        assertEquals(ServingPolicy.Fallback.DEFAULT, byOutput.fallback(), "an output alone means fallback default");
        assertMessage("only used by fallback default", () -> new DeployRequest("m", "1.0.0", null, null, null, null, null,
                null, null, ServingPolicy.Fallback.NONE, Map.of("label", "x")).policyOver(current));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
