package io.modelmesh.controlplane.drift;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Rows of floats as bytes for PostgreSQL: float32, little-endian, row-major (pure). */
public final class RowCodec {
    private RowCodec() {
    }

    public static byte[] encode(List<float[]> rows, int width) {
        ByteBuffer b = ByteBuffer.allocate(rows.size() * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            if (row.length != width) {
                throw new IllegalArgumentException("row of " + row.length + " values, expected " + width);
            }
            for (float v : row) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    public static List<float[]> decode(byte[] bytes, int width) {
        if (width < 1 || bytes.length % (width * Float.BYTES) != 0) {
            throw new IllegalStateException(bytes.length + " stored bytes are not rows of " + width + " floats");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = bytes.length / (width * Float.BYTES);
        List<float[]> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            float[] row = new float[width];
            for (int c = 0; c < width; c++) {
                row[c] = b.getFloat();
            }
            rows.add(row);
        }
        return rows;
    }
}
