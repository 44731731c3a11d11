package io.modelmesh.dataplane.batching;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.OutputTensor;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one assembled batch: concatenates its requests' rows into one {@code [N, F]} batch, makes one engine call, and
 * completes each request with its own rows of every output. Stateless; the worker thread calls it outside any lock.
 */
final class BatchExecution {
    private BatchExecution() {
    }

    /**
     * Completes every request in {@code batch}: with its slice of the outputs, or — if the engine call or the slicing
     * fails — with that failure. A failure belongs to this batch alone; the caller carries on with the next.
     *
     * @param rows total rows of the batch (sum of the requests' rows)
     */
    static void run(List<Pending> batch, int rows, Function<FloatBatch, BatchResult> engine) {
        try {
            if (batch.size() == 1) {
                Pending only = batch.get(0);
                only.complete(engine.apply(only.rows)); // its own rows: nothing to copy or slice
                return;
            }
            BatchResult result = engine.apply(concat(batch, rows));
            List<OutputTensor> outputs = result.outputs();
            for (OutputTensor t : outputs) {
                checkSliceable(t, rows);
            }
            int offset = 0;
            for (Pending p : batch) {
                int n = p.rows.rows();
                p.complete(slice(outputs, offset, n));
                offset += n;
            }
        } catch (Throwable e) {
            // Whatever went wrong (an engine error, an OutOfMemoryError while slicing), every request taken must be
            // completed, or its caller waits forever; the error goes to them, and the worker keeps serving.
            for (Pending p : batch) {
                p.completeExceptionally(e);
            }
        }
    }

    /** The requests' rows, in order, in one row-major array. */
    static FloatBatch concat(List<Pending> batch, int rows) {
        int cols = batch.get(0).rows.cols();
        float[] values = new float[Math.multiplyExact(rows, cols)];
        int at = 0;
        for (Pending p : batch) {
            int n = p.rows.rows() * cols;
            System.arraycopy(p.rows.values(), 0, values, at, n);
            at += n;
        }
        return new FloatBatch(values, rows, cols);
    }

    /** An output can be split by request only if its first dimension is the batch's rows and its data fills it. */
    static void checkSliceable(OutputTensor t, int rows) {
        long[] shape = t.shape();
        if (shape.length == 0 || shape[0] != rows) {
            throw new InferenceException("output '" + t.name() + "' has shape " + Arrays.toString(shape)
                    + ", not one entry per row of a " + rows + "-row batch, so it cannot be split between the requests"
                    + " batched together; turn batching off for this model (max_batch_size 1)", null);
        }
        Object data = t.data();
        long expected = (long) rows * t.rowWidth();
        if (data == null || !data.getClass().isArray() || Array.getLength(data) != expected) {
            throw new InferenceException("output '" + t.name() + "' should hold " + expected + " values for shape "
                    + Arrays.toString(shape) + ", got "
                    + (data == null || !data.getClass().isArray() ? data : Array.getLength(data) + " values"), null);
        }
    }

    /** Rows {@code [from, from + n)} of every output, as a result of its own. */
    static BatchResult slice(List<OutputTensor> outputs, int from, int n) {
        OutputTensor[] sliced = new OutputTensor[outputs.size()];
        for (int i = 0; i < sliced.length; i++) {
            OutputTensor t = outputs.get(i);
            int width = t.rowWidth();
            Object data = t.data();
            Object part = Array.newInstance(data.getClass().getComponentType(), n * width);
            System.arraycopy(data, from * width, part, 0, n * width);
            long[] shape = t.shape().clone();
            shape[0] = n;
            sliced[i] = new OutputTensor(t.name(), t.datatype(), shape, part);
        }
        return new BatchResult(List.of(sliced));
    }
}
