package io.modelmesh.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.OutputTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single-row fast path: reusable slots, each an input tensor and pinned output tensors over direct buffers created
 * once, so a one-row call writes the row, runs, and reads the outputs back without creating or freeing any native
 * tensor. Usable only when every output is FP32 with a fixed size per row (so the output shapes for one row are known).
 */
final class SingleRowSlots implements AutoCloseable {
    private static final int POOLED = 64;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final int rowWidth;
    private final List<TensorSpec> outputs;
    private final ConcurrentLinkedQueue<Slot> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    private SingleRowSlots(OrtEnvironment env, OrtSession session, String inputName, long[] inputShape, int rowWidth,
                           List<TensorSpec> outputs) {
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.inputShape = inputShape;
        this.rowWidth = rowWidth;
        this.outputs = outputs;
    }

    /** Slots for a model, or null when its outputs do not allow pinning (non-float, or sizes unknown per row). */
    static SingleRowSlots forModel(OrtEnvironment env, OrtSession session, String inputName, long[] inputShape,
                                   int rowWidth, List<TensorSpec> outputs) {
        if (rowWidth <= 0 || outputs.isEmpty()) {
            return null;
        }
        for (TensorSpec o : outputs) {
            if (!"FP32".equals(o.datatype()) || o.shape().isEmpty() || o.shape().subList(1, o.shape().size()).contains(-1L)) {
                return null;
            }
        }
        long[] shape = inputShape.clone();
        shape[0] = 1;
        return new SingleRowSlots(env, session, inputName, shape, rowWidth, outputs);
    }

    BatchResult predict(float[] row) {
        Slot slot = idle.poll();
        if (slot == null) {
            slot = new Slot();
        } else {
            pooled.decrementAndGet();
        }
        try {
            return slot.run(row);
        } finally {
            if (pooled.incrementAndGet() <= POOLED) {
                idle.offer(slot);
            } else {
                pooled.decrementAndGet();
                slot.close();
            }
        }
    }

    @Override
    public void close() {
        for (Slot s; (s = idle.poll()) != null; ) {
            s.close();
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** One caller's tensors: used by one thread at a time. */
    private final class Slot implements AutoCloseable {
        private final FloatBuffer in = direct(rowWidth);
        private final OnnxTensor inTensor;
        private final Map<String, OnnxTensor> inputs;
        private final Map<String, OnnxTensor> pinned = new LinkedHashMap<>();
        private final List<FloatBuffer> outBuffers = new ArrayList<>();
        private final List<long[]> outShapes = new ArrayList<>();

        Slot() {
            try {
                inTensor = OnnxTensor.createTensor(env, in, inputShape);
                inputs = Map.of(inputName, inTensor);
                for (TensorSpec o : outputs) {
                    long[] shape = o.shape().stream().mapToLong(Long::longValue).toArray();
                    shape[0] = 1;
                    int n = 1;
                    for (long d : shape) {
                        n *= (int) d;
                    }
                    FloatBuffer buf = direct(n);
                    pinned.put(o.name(), OnnxTensor.createTensor(env, buf, shape));
                    outBuffers.add(buf);
                    outShapes.add(shape);
                }
            } catch (OrtException e) {
                close();
                throw new InferenceException("cannot allocate tensors for the single-row path: " + e.getMessage(), e);
            }
        }

        BatchResult run(float[] row) {
            in.put(0, row, 0, rowWidth);
            try (OrtSession.Result ignored = session.run(inputs, pinned)) {
                List<OutputTensor> result = new ArrayList<>(outputs.size());
                for (int i = 0; i < outputs.size(); i++) {
                    FloatBuffer buf = outBuffers.get(i);
                    float[] data = new float[buf.capacity()];
                    buf.get(0, data);
                    result.add(new OutputTensor(outputs.get(i).name(), "FP32", outShapes.get(i).clone(), data));
                }
                return new BatchResult(result);
            } catch (OrtException e) {
                throw new InferenceException("ONNX Runtime failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (inTensor != null) {
                inTensor.close();
            }
            pinned.values().forEach(OnnxTensor::close);
        }
    }
}
