package io.modelmesh.engine;

import java.util.Arrays;

/**
 * One named output of a batch, flattened row-major. {@code data} is a primitive array matching {@code datatype}:
 * FP32 float[], FP64 double[], INT64 long[], INT32 int[], BOOL boolean[], BYTES String[].
 */
public record OutputTensor(String name, String datatype, long[] shape, Object data) {

    /** Values per row (product of the non-batch dimensions; 1 for a vector output). */
    public int rowWidth() {
        int w = 1;
        for (int i = 1; i < shape.length; i++) {
            w *= (int) shape[i];
        }
        return w;
    }

    @Override
    public String toString() {
        return "OutputTensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }
}
