package io.modelmesh.dataplane.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PredictRoutesTest {

    @Test
    void theModelComesFromThePathOrThereIsNone() {
        assertEquals("iris", PredictRoutes.model("/predict/iris"));
        assertEquals("iris", PredictRoutes.model("/predict/iris/batch"));
        assertEquals("fraud-v2.1_x", PredictRoutes.model("/predict/fraud-v2.1_x/batch"));
        assertEquals("batch", PredictRoutes.model("/predict/batch"), "a model may be called batch");
        assertNull(PredictRoutes.model("/predict/"));
        assertNull(PredictRoutes.model("/predict//batch"));
        assertNull(PredictRoutes.model("/predict/iris/other"));
        assertNull(PredictRoutes.model("/predict/iris/batch/more"));
        assertNull(PredictRoutes.model("/predictions/iris"));
    }
}
