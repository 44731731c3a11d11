package io.modelmesh.dataplane.batching;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.OutputTensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One engine call per batch, each request's own rows back, failures kept to their batch. Single-threaded. */
class BatchExecutionTest {

    /** Each request's rows start at {@code base}: row r is [base + r, -(base + r)]. */
    static FloatBatch rows(int n, float base) {
        float[] v = new float[n * 2];
        for (int r = 0; r < n; r++) {
            v[r * 2] = base + r;
            v[r * 2 + 1] = -(base + r);
        }
        return new FloatBatch(v, n, 2);
    }

    /**
     * An engine whose outputs tell rows apart: "y" [N] FP32 = first value * 2 + the row's index in the engine batch,
     * "pair" [N, 2] FP64 = the row's two values, "label" [N] BYTES.
     */
    static final Function<FloatBatch, BatchResult> ENGINE = b -> {
        float[] y = new float[b.rows()];
        double[] pair = new double[b.rows() * 2];
        String[] label = new String[b.rows()];
        for (int r = 0; r < b.rows(); r++) {
            float first = b.values()[r * b.cols()];
            y[r] = first * 2 + r;
            pair[r * 2] = first;
            pair[r * 2 + 1] = b.values()[r * b.cols() + 1];
            label[r] = "row" + (int) first;
        }
        return new BatchResult(List.of(
                new OutputTensor("y", "FP32", new long[]{b.rows()}, y),
                new OutputTensor("pair", "FP64", new long[]{b.rows(), 2}, pair),
                new OutputTensor("label", "BYTES", new long[]{b.rows()}, label)));
    };

    @Test
    void eachRequestGetsItsOwnRowsFromOneEngineCall() {
        AtomicInteger calls = new AtomicInteger();
        Pending a = new Pending(rows(2, 100), 0);
        Pending b = new Pending(rows(1, 200), 0);
        Pending c = new Pending(rows(3, 300), 0);
        BatchExecution.run(List.of(a, b, c), 6, batch -> {
            calls.incrementAndGet();
            assertEquals(6, batch.rows());
            return ENGINE.apply(batch);
        });
        assertEquals(1, calls.get());

        BatchResult ra = a.join();
        assertArrayEquals(new long[]{2}, ra.outputs().get(0).shape());
        assertArrayEquals(new float[]{200, 203}, (float[]) ra.outputs().get(0).data()); // rows 0, 1 of the batch
        assertArrayEquals(new long[]{2, 2}, ra.outputs().get(1).shape());
        assertArrayEquals(new double[]{100, -100, 101, -101}, (double[]) ra.outputs().get(1).data());
        assertArrayEquals(new String[]{"row100", "row101"}, (String[]) ra.outputs().get(2).data());

        BatchResult rb = b.join();
        assertArrayEquals(new float[]{402}, (float[]) rb.outputs().get(0).data()); // row 2 of the batch
        assertArrayEquals(new double[]{200, -200}, (double[]) rb.outputs().get(1).data());

        BatchResult rc = c.join();
        assertArrayEquals(new long[]{3, 2}, rc.outputs().get(1).shape());
        assertArrayEquals(new float[]{603, 606, 609}, (float[]) rc.outputs().get(0).data());
        assertArrayEquals(new String[]{"row300", "row301", "row302"}, (String[]) rc.outputs().get(2).data());
        assertEquals(List.of("y", "pair", "label"), rc.outputs().stream().map(OutputTensor::name).toList());
    }

    @Test
    void concatenationCopiesOnlyEachRequestsRows() {
        // A FloatBatch may carry a longer array than rows * cols; only its rows belong to the batch.
        Pending a = new Pending(new FloatBatch(new float[]{1, 2, 99, 99}, 1, 2), 0);
        Pending b = new Pending(new FloatBatch(new float[]{3, 4}, 1, 2), 0);
        FloatBatch merged = BatchExecution.concat(List.of(a, b), 2);
        assertArrayEquals(new float[]{1, 2, 3, 4}, merged.values());
        assertEquals(2, merged.rows());
        assertEquals(2, merged.cols());
    }

    @Test
    void aSingleRequestGetsTheEngineResultAsIs() {
        BatchResult expected = ENGINE.apply(rows(2, 7));
        Pending only = new Pending(rows(2, 7), 0);
        BatchExecution.run(List.of(only), 2, batch -> expected);
        assertSame(expected, only.join());
    }

    @Test
    void aFailingBatchFailsOnlyItsOwnRequestsAndTheNextBatchSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        Function<FloatBatch, BatchResult> flaky = batch -> {
            if (calls.getAndIncrement() == 0) {
                throw new InferenceException("runtime fell over", null);
            }
            return ENGINE.apply(batch);
        };
        Pending a = new Pending(rows(1, 1), 0);
        Pending b = new Pending(rows(1, 2), 0);
        Pending c = new Pending(rows(1, 3), 0);
        Pending d = new Pending(rows(1, 4), 0);
        BatchExecution.run(List.of(a, b), 2, flaky);
        BatchExecution.run(List.of(c, d), 2, flaky);

        CompletionException ea = assertThrows(CompletionException.class, a::join);
        assertInstanceOf(InferenceException.class, ea.getCause());
        assertInstanceOf(InferenceException.class, assertThrows(CompletionException.class, b::join).getCause());
        assertArrayEquals(new float[]{6}, (float[]) c.join().outputs().get(0).data());
        assertArrayEquals(new float[]{9}, (float[]) d.join().outputs().get(0).data());
    }

    @Test
    void anOutputWithoutOneEntryPerRowFailsTheBatch() {
        Function<FloatBatch, BatchResult> summary = batch -> new BatchResult(List.of(
                new OutputTensor("y", "FP32", new long[]{batch.rows()}, new float[batch.rows()]),
                new OutputTensor("total", "FP32", new long[]{1}, new float[]{42})));
        Pending a = new Pending(rows(1, 1), 0);
        Pending b = new Pending(rows(2, 2), 0);
        BatchExecution.run(List.of(a, b), 3, summary);
        for (Pending p : List.of(a, b)) {
            Throwable cause = assertThrows(CompletionException.class, p::join).getCause();
            assertInstanceOf(InferenceException.class, cause);
            assertTrue(cause.getMessage().contains("total"), cause.getMessage());
        }
    }

    @Test
    void anOutputWhoseDataDoesNotFillItsShapeFailsTheBatch() {
        Function<FloatBatch, BatchResult> shortData = batch -> new BatchResult(List.of(
                new OutputTensor("y", "FP32", new long[]{batch.rows(), 2}, new float[batch.rows()])));
        Pending a = new Pending(rows(1, 1), 0);
        Pending b = new Pending(rows(1, 2), 0);
        BatchExecution.run(new ArrayList<>(List.of(a, b)), 2, shortData);
        assertInstanceOf(InferenceException.class, assertThrows(CompletionException.class, a::join).getCause());
        assertInstanceOf(InferenceException.class, assertThrows(CompletionException.class, b::join).getCause());
    }

    @Test
    void slicesEveryPrimitiveType() {
        List<OutputTensor> outputs = List.of(
                new OutputTensor("l", "INT64", new long[]{3}, new long[]{10, 11, 12}),
                new OutputTensor("i", "INT32", new long[]{3, 1}, new int[]{20, 21, 22}),
                new OutputTensor("b", "BOOL", new long[]{3}, new boolean[]{true, false, true}));
        BatchResult mid = BatchExecution.slice(outputs, 1, 2);
        assertArrayEquals(new long[]{11, 12}, (long[]) mid.outputs().get(0).data());
        assertArrayEquals(new int[]{21, 22}, (int[]) mid.outputs().get(1).data());
        assertArrayEquals(new long[]{2, 1}, mid.outputs().get(1).shape());
        assertArrayEquals(new boolean[]{false, true}, (boolean[]) mid.outputs().get(2).data());
        assertArrayEquals(new long[]{3}, outputs.get(0).shape(), "the batch's own shape is not touched");
    }
}
