package io.modelmesh.dataplane.shadow;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShadowComparisonTest {
    private static OutputTensor labels(String... l) {
        return new OutputTensor("label", "BYTES", new long[]{l.length}, l);
    }

    private static OutputTensor probs(long rows, float... v) {
        return new OutputTensor("probabilities", "FP32", new long[]{rows, v.length / rows}, v);
    }

    @Test
    void equalLabelsAgreeAndOneDifferentRowDisagrees() {
        ShadowComparison same = ShadowComparison.of(new BatchResult(List.of(labels("a", "b"))),
                new BatchResult(List.of(labels("a", "b"))));
        assertEquals(Boolean.TRUE, same.labelsAgree());
        assertFalse(same.disagrees());
        ShadowComparison diff = ShadowComparison.of(new BatchResult(List.of(labels("a", "b"))),
                new BatchResult(List.of(labels("a", "c"))));
        assertEquals(Boolean.FALSE, diff.labelsAgree());
        assertTrue(diff.disagrees());
    }

    @Test
    void numericOutputsCompareElementWise() {
        ShadowComparison c = ShadowComparison.of(new BatchResult(List.of(probs(2, 0.1f, 0.9f, 0.5f, 0.5f))),
                new BatchResult(List.of(new OutputTensor("probabilities", "FP64", new long[]{2, 2},
                        new double[]{0.1, 0.7, 0.5, 0.6}))));
        assertEquals(4, c.numericValues());
        assertEquals(0.3, c.sumAbsDiff(), 1e-6);
        assertEquals(0.2, c.maxAbsDiff(), 1e-6);
        assertNull(c.labelsAgree(), "no label output: no label comparison");
    }

    @Test
    void outputsMissingOnOneSideOrShapedDifferentlyAreNotCompared() {
        ShadowComparison c = ShadowComparison.of(new BatchResult(List.of(probs(1, 0.1f, 0.9f), labels("a"))),
                new BatchResult(List.of(probs(2, 0.1f, 0.9f, 0.2f, 0.8f))));
        assertEquals(0, c.numericValues());
        assertTrue(Double.isNaN(c.maxAbsDiff()));
        assertNull(c.labelsAgree());
    }
}
