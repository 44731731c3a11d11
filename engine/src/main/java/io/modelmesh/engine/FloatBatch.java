package io.modelmesh.engine;

/**
 * Rows of float features, row-major in one array: {@code values[r * cols + c]}. One flat array is what the runtimes
 * want (one copy into a native tensor), and it is what the request parser produces without boxing.
 */
public record FloatBatch(float[] values, int rows, int cols) {
    public FloatBatch {
        if (rows < 1 || cols < 1 || values.length < rows * cols) {
            throw new IllegalArgumentException("batch of " + rows + "x" + cols + " needs " + rows * cols
                    + " values, got " + values.length);
        }
    }
}
