package io.modelmesh.dataplane.inference;

import io.modelmesh.api.ModelSchema;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.LoadedModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelHandleTest {
    /** Counts closes; the only fake here, standing in for native resources. */
    static final class CountingModel implements LoadedModel {
        int closes;

        @Override
        public ModelSchema schema() {
            return ModelSchema.empty();
        }

        @Override
        public int rowWidth() {
            return 1;
        }

        @Override
        public BatchResult predict(FloatBatch batch) {
            return new BatchResult(List.of());
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void retiredModelClosesOnlyAfterTheLastInFlightRequest() {
        CountingModel m = new CountingModel();
        ModelHandle h = new ModelHandle("k", m);
        assertTrue(h.acquire());
        assertTrue(h.acquire());
        h.retire();
        assertEquals(0, m.closes, "two requests still run");
        h.release();
        assertEquals(0, m.closes);
        h.release();
        assertEquals(1, m.closes);
        assertTrue(h.isClosed());
        assertFalse(h.acquire(), "a closed model cannot be acquired again");
    }

    @Test
    void idleRetiredModelClosesAtOnce() {
        CountingModel m = new CountingModel();
        new ModelHandle("k", m).retire();
        assertEquals(1, m.closes);
    }
}
