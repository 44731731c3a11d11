package io.modelmesh.engine.torch;

import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.InferenceException;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.OutputTensor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Output tensors: their specs (read from the probe call at load) and their copy into Java arrays. A tensor's bytes are
 * read through a direct buffer over libtorch's own memory, so each output is copied exactly once, into the primitive
 * array {@link OutputTensor} carries.
 */
final class Tensors {
    private Tensors() {
    }

    /** The Open Inference Protocol datatype of a torch dtype, or null when ModelMesh does not serve it. */
    static String datatype(DataType type) {
        return switch (type) {
            case FLOAT32 -> "FP32";
            case FLOAT64 -> "FP64";
            case INT64 -> "INT64";
            case INT32 -> "INT32";
            case BOOLEAN -> "BOOL";
            default -> null;
        };
    }

    /**
     * The spec of an output from what the probe returned for {@code rows} rows; the batch dimension becomes -1.
     *
     * @throws InvalidModelException when the dtype is not served or the first dimension is not the batch
     */
    static TensorSpec spec(String name, PtNDArray probe, int rows) throws InvalidModelException {
        String datatype = datatype(probe.getDataType());
        if (datatype == null) {
            throw new InvalidModelException("output '" + name + "' is a " + probe.getDataType().name().toLowerCase(Locale.ROOT)
                    + " tensor; ModelMesh serves float32, float64, int64, int32 and bool outputs (cast it in forward)");
        }
        long[] shape = probe.getShape().getShape();
        if (shape.length == 0 || shape[0] != rows) {
            throw new InvalidModelException("output '" + name + "' has shape " + Arrays.toString(shape) + " for a batch of "
                    + rows + " rows; every output's first dimension must be the batch (one entry per input row)");
        }
        List<Long> dims = new ArrayList<>(shape.length);
        dims.add(-1L);
        for (int i = 1; i < shape.length; i++) {
            dims.add(shape[i]);
        }
        return new TensorSpec(name, datatype, dims);
    }

    /** Copies one output of a call over {@code rows} rows, checking it against the spec read at load. */
    static OutputTensor copy(TensorSpec spec, PtNDArray tensor, int rows) {
        long[] shape = tensor.getShape().getShape();
        if (!fits(spec, shape, rows) || !spec.datatype().equals(datatype(tensor.getDataType()))) {
            throw new InferenceException("output '" + spec.name() + "' came back as " + tensor.getDataType() + " "
                    + Arrays.toString(shape) + " for " + rows + " rows; at load it was " + spec.datatype() + " "
                    + spec.shape(), null);
        }
        ByteBuffer bytes = tensor.toByteBuffer(true);
        Object data = switch (spec.datatype()) {
            case "FP32" -> {
                float[] a = new float[bytes.remaining() / Float.BYTES];
                bytes.asFloatBuffer().get(a);
                yield a;
            }
            case "FP64" -> {
                double[] a = new double[bytes.remaining() / Double.BYTES];
                bytes.asDoubleBuffer().get(a);
                yield a;
            }
            case "INT64" -> {
                long[] a = new long[bytes.remaining() / Long.BYTES];
                bytes.asLongBuffer().get(a);
                yield a;
            }
            case "INT32" -> {
                int[] a = new int[bytes.remaining() / Integer.BYTES];
                bytes.asIntBuffer().get(a);
                yield a;
            }
            case "BOOL" -> {
                boolean[] a = new boolean[bytes.remaining()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = bytes.get(i) != 0;
                }
                yield a;
            }
            default -> throw new IllegalStateException("no copy for " + spec.datatype());
        };
        return new OutputTensor(spec.name(), spec.datatype(), shape, data);
    }

    private static boolean fits(TensorSpec spec, long[] shape, int rows) {
        List<Long> dims = spec.shape();
        if (shape.length != dims.size() || shape[0] != rows) {
            return false;
        }
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] != dims.get(i)) {
                return false;
            }
        }
        return true;
    }
}
