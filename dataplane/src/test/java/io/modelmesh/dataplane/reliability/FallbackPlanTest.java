package io.modelmesh.dataplane.reliability;

import io.modelmesh.api.ServingPolicy;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A default output turned into output tensors once, repeated per row. */
class FallbackPlanTest {
    @Test
    void everyKindOfValueBecomesOneRowAndRepeatsPerRow() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", "unknown");
        out.put("flag", true);
        out.put("score", 0.5);
        out.put("logits", List.of(List.of(1, 2, 3), List.of(4, 5, 6)));
        out.put("probabilities", Map.of("b", 0.25, "a", 0.75));
        FallbackPlan plan = FallbackPlan.of(ServingPolicy.defaults().withFallback(ServingPolicy.Fallback.DEFAULT, out),
                name -> name.equals("probabilities") ? new String[]{"a", "b"} : null);
        BatchResult one = plan.defaultFor(1);
        assertEquals(List.of("label", "flag", "score", "logits", "probabilities"),
                one.outputs().stream().map(OutputTensor::name).toList());
        OutputTensor logits = one.outputs().get(3);
        assertArrayEquals(new long[]{1, 2, 3}, logits.shape());
        assertArrayEquals(new double[]{1, 2, 3, 4, 5, 6}, (double[]) logits.data());
        OutputTensor probs = one.outputs().get(4);
        assertArrayEquals(new double[]{0.75, 0.25}, (double[]) probs.data(), "in the model's label order");

        BatchResult three = plan.defaultFor(3);
        assertArrayEquals(new String[]{"unknown", "unknown", "unknown"}, (String[]) three.outputs().get(0).data());
        assertArrayEquals(new long[]{3, 2, 3}, three.outputs().get(3).shape());
        assertEquals(18, ((double[]) three.outputs().get(3).data()).length);
    }

    @Test
    void noneAndCachedHoldNoDefault() {
        assertFalse(FallbackPlan.of(ServingPolicy.defaults(), n -> null).enabled());
        FallbackPlan cached = FallbackPlan.of(ServingPolicy.defaults().withFallback(ServingPolicy.Fallback.CACHED,
                null), n -> null);
        assertEquals(ServingPolicy.Fallback.CACHED, cached.mode());
        assertNull(cached.defaultRow());
    }
}
