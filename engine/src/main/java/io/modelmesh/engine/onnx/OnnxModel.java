package io.modelmesh.engine.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.OutputTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A loaded ONNX session. {@link OrtSession#run} is thread-safe; input buffers are pooled direct buffers. */
final class OnnxModel implements LoadedModel {
    private static final int POOLED_BUFFERS = 64;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;
    private final int rowWidth;
    private final ModelSchema schema;
    private final SingleRowSlots singleRow; // null when the outputs cannot be pinned
    private final ConcurrentLinkedQueue<FloatBuffer> buffers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    OnnxModel(OrtEnvironment env, OrtSession session, String inputName, long[] inputShape, int rowWidth,
              ModelSchema schema) {
        this.env = env;
        this.session = session;
        this.inputName = inputName;
        this.inputShape = inputShape.clone();
        this.rowWidth = rowWidth;
        this.schema = schema;
        this.singleRow = SingleRowSlots.forModel(env, session, inputName, inputShape, rowWidth, schema.outputs());
    }

    @Override
    public ModelSchema schema() {
        return schema;
    }

    @Override
    public int rowWidth() {
        return rowWidth;
    }

    @Override
    public BatchResult predict(FloatBatch batch) {
        if (rowWidth > 0 && batch.cols() != rowWidth) {
            throw new InvalidInputException("each row needs " + rowWidth + " values for input '" + inputName + "', got "
                    + batch.cols());
        }
        if (batch.rows() == 1 && singleRow != null) {
            return singleRow.predict(batch.values());
        }
        int n = batch.rows() * batch.cols();
        FloatBuffer buffer = borrow(n);
        try {
            buffer.clear();
            buffer.put(batch.values(), 0, n);
            buffer.flip();
            try (OnnxTensor input = OnnxTensor.createTensor(env, buffer, shapeFor(batch));
                 OrtSession.Result result = session.run(Map.of(inputName, input))) {
                List<OutputTensor> outputs = new ArrayList<>(result.size());
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (e.getValue() instanceof OnnxTensor t) {
                        outputs.add(toOutput(e.getKey(), t));
                    }
                }
                return new BatchResult(outputs);
            } catch (OrtException e) {
                throw new InferenceException("ONNX Runtime failed: " + e.getMessage(), e);
            }
        } finally {
            giveBack(buffer);
        }
    }

    private long[] shapeFor(FloatBatch batch) {
        long[] shape = inputShape.clone();
        shape[0] = batch.rows();
        if (shape.length == 2) {
            shape[1] = batch.cols();
        }
        return shape;
    }

    /** A pooled direct buffer large enough for n floats (zero-copy into ONNX Runtime); lock-free. */
    private FloatBuffer borrow(int n) {
        FloatBuffer b = buffers.poll();
        if (b != null) {
            pooled.decrementAndGet();
            if (b.capacity() >= n) {
                return b;
            }
        }
        int capacity = Math.max(n, 64);
        return ByteBuffer.allocateDirect(capacity * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Keeps at most POOLED_BUFFERS buffers; the rest are left to the garbage collector. */
    private void giveBack(FloatBuffer b) {
        if (pooled.incrementAndGet() <= POOLED_BUFFERS) {
            buffers.offer(b);
        } else {
            pooled.decrementAndGet();
        }
    }

    private static OutputTensor toOutput(String name, OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        OnnxJavaType type = t.getInfo().type;
        Object data = switch (type) {
            case FLOAT -> read(t.getFloatBuffer());
            case DOUBLE -> read(t.getDoubleBuffer());
            case INT64 -> read(t.getLongBuffer());
            case INT32 -> read(t.getIntBuffer());
            case BOOL, UINT8, INT8 -> {
                ByteBuffer bb = t.getByteBuffer();
                boolean[] out = new boolean[bb.remaining()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bb.get(i) != 0;
                }
                yield out;
            }
            case STRING -> {
                try {
                    yield flattenStrings(t.getValue());
                } catch (OrtException e) {
                    throw new InferenceException("cannot read string output '" + name + "'", e);
                }
            }
            default -> throw new InferenceException("output '" + name + "' has unsupported type " + type, null);
        };
        return new OutputTensor(name, type == OnnxJavaType.UINT8 || type == OnnxJavaType.INT8 ? "BOOL" : datatype(type),
                shape, data);
    }

    private static float[] read(FloatBuffer b) {
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    private static double[] read(DoubleBuffer b) {
        double[] a = new double[b.remaining()];
        b.get(a);
        return a;
    }

    private static long[] read(LongBuffer b) {
        long[] a = new long[b.remaining()];
        b.get(a);
        return a;
    }

    private static int[] read(IntBuffer b) {
        int[] a = new int[b.remaining()];
        b.get(a);
        return a;
    }

    private static String[] flattenStrings(Object value) {
        List<String> out = new ArrayList<>();
        flatten(value, out);
        return out.toArray(String[]::new);
    }

    private static void flatten(Object v, List<String> out) {
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof Object[] arr) {
            for (Object o : arr) {
                flatten(o, out);
            }
        }
    }

    static String datatype(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> "FP32";
            case DOUBLE -> "FP64";
            case INT64 -> "INT64";
            case INT32 -> "INT32";
            case INT16 -> "INT16";
            case INT8 -> "INT8";
            case UINT8 -> "UINT8";
            case BOOL -> "BOOL";
            case STRING -> "BYTES";
            case FLOAT16 -> "FP16";
            case BFLOAT16 -> "BF16";
            default -> type.name();
        };
    }

    @Override
    public void close() {
        if (singleRow != null) {
            singleRow.close();
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new InferenceException("closing ONNX session failed", e);
        }
    }
}
