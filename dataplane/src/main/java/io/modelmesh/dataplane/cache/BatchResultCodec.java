package io.modelmesh.dataplane.cache;

import io.modelmesh.engine.BatchResult;
import io.modelmesh.engine.OutputTensor;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link BatchResult} as bytes for Redis. Compact (numbers as raw little-endian values, copied in bulk) and versioned,
 * so a node running a newer format reads an older value as "not mine" (a miss) rather than as garbage.
 *
 * <pre>
 *   2 bytes  magic 'M' 'R'
 *   1 byte   format version (1)
 *   int      tensor count
 *   per tensor:
 *     string   name            (string = int byte length, UTF-8 bytes; length -1 = null)
 *     string   datatype        (kept as given: "FP32", "BYTES", ...)
 *     byte     rank, then rank longs (shape)
 *     byte     element kind    1 float, 2 double, 3 long, 4 int, 5 boolean (one byte each), 6 String
 *     int      element count, then the elements
 * </pre>
 * The element kind comes from the Java array, not from the datatype string, so a result decodes to exactly the arrays
 * it was encoded from.
 */
public final class BatchResultCodec {
    static final byte MAGIC_0 = 'M';
    static final byte MAGIC_1 = 'R';
    static final byte VERSION = 1;

    private static final byte FLOAT = 1;
    private static final byte DOUBLE = 2;
    private static final byte LONG = 3;
    private static final byte INT = 4;
    private static final byte BOOLEAN = 5;
    private static final byte STRING = 6;

    private BatchResultCodec() {
    }

    /**
     * @throws IllegalArgumentException if a tensor's data is not one of the arrays {@link OutputTensor} allows
     */
    public static byte[] encode(BatchResult result) {
        List<OutputTensor> outputs = result.outputs();
        List<byte[][]> strings = new ArrayList<>(outputs.size()); // UTF-8 of each tensor's strings, encoded once
        int size = 3 + 4;
        for (OutputTensor t : outputs) {
            byte[][] utf8 = t.data() instanceof String[] s ? utf8(s) : null;
            strings.add(utf8);
            size += stringSize(t.name()) + stringSize(t.datatype()) + 1 + 8 * t.shape().length + 1 + 4
                    + dataSize(t, utf8);
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC_0).put(MAGIC_1).put(VERSION).putInt(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            OutputTensor t = outputs.get(i);
            putString(out, t.name());
            putString(out, t.datatype());
            if (t.shape().length > Byte.MAX_VALUE) {
                throw new IllegalArgumentException("tensor " + t.name() + " has rank " + t.shape().length);
            }
            out.put((byte) t.shape().length);
            for (long d : t.shape()) {
                out.putLong(d);
            }
            putData(out, t.data(), strings.get(i));
        }
        return out.array();
    }

    /**
     * @throws IllegalArgumentException if {@code bytes} are not a value this version wrote (other format, truncated,
     *                                  corrupt)
     */
    public static BatchResult decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (bytes.length < 7 || in.get() != MAGIC_0 || in.get() != MAGIC_1) {
                throw new IllegalArgumentException("not a cached prediction (bad magic)");
            }
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("cached prediction in format " + version + ", this node reads "
                        + VERSION);
            }
            int count = count(in, in.getInt(), 1);
            List<OutputTensor> outputs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = getString(in);
                String datatype = getString(in);
                long[] shape = new long[count(in, in.get(), 8)];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.getLong();
                }
                outputs.add(new OutputTensor(name, datatype, shape, getData(in)));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("cached prediction has " + in.remaining() + " trailing bytes");
            }
            return new BatchResult(outputs);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("cached prediction is truncated", e);
        }
    }

    private static int dataSize(OutputTensor t, byte[][] utf8) {
        return switch (t.data()) {
            case float[] a -> 4 * a.length;
            case double[] a -> 8 * a.length;
            case long[] a -> 8 * a.length;
            case int[] a -> 4 * a.length;
            case boolean[] a -> a.length;
            case String[] a -> {
                int n = 4 * a.length;
                for (byte[] s : utf8) {
                    n += s == null ? 0 : s.length;
                }
                yield n;
            }
            case null, default -> throw new IllegalArgumentException("tensor " + t.name() + " holds "
                    + (t.data() == null ? "null" : t.data().getClass().getSimpleName())
                    + "; cacheable outputs are float[], double[], long[], int[], boolean[] or String[]");
        };
    }

    private static void putData(ByteBuffer out, Object data, byte[][] utf8) {
        switch (data) {
            case float[] a -> {
                out.put(FLOAT).putInt(a.length);
                out.asFloatBuffer().put(a);
                skip(out, 4 * a.length);
            }
            case double[] a -> {
                out.put(DOUBLE).putInt(a.length);
                out.asDoubleBuffer().put(a);
                skip(out, 8 * a.length);
            }
            case long[] a -> {
                out.put(LONG).putInt(a.length);
                out.asLongBuffer().put(a);
                skip(out, 8 * a.length);
            }
            case int[] a -> {
                out.put(INT).putInt(a.length);
                out.asIntBuffer().put(a);
                skip(out, 4 * a.length);
            }
            case boolean[] a -> {
                out.put(BOOLEAN).putInt(a.length);
                for (boolean b : a) {
                    out.put(b ? (byte) 1 : 0);
                }
            }
            case String[] a -> {
                out.put(STRING).putInt(a.length);
                for (byte[] s : utf8) {
                    putBytes(out, s);
                }
            }
            default -> throw new IllegalStateException("checked by dataSize");
        }
    }

    private static Object getData(ByteBuffer in) {
        byte kind = in.get();
        int n = in.getInt();
        return switch (kind) {
            case FLOAT -> {
                float[] a = new float[count(in, n, 4)];
                in.asFloatBuffer().get(a);
                yield skipped(in, 4 * n, a);
            }
            case DOUBLE -> {
                double[] a = new double[count(in, n, 8)];
                in.asDoubleBuffer().get(a);
                yield skipped(in, 8 * n, a);
            }
            case LONG -> {
                long[] a = new long[count(in, n, 8)];
                in.asLongBuffer().get(a);
                yield skipped(in, 8 * n, a);
            }
            case INT -> {
                int[] a = new int[count(in, n, 4)];
                in.asIntBuffer().get(a);
                yield skipped(in, 4 * n, a);
            }
            case BOOLEAN -> {
                boolean[] a = new boolean[count(in, n, 1)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.get() != 0;
                }
                yield a;
            }
            case STRING -> {
                String[] a = new String[count(in, n, 4)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = getString(in);
                }
                yield a;
            }
            default -> throw new IllegalArgumentException("cached prediction has unknown element kind " + kind);
        };
    }

    /** Checks a count read from the buffer against what is left, so corrupt input cannot allocate gigabytes. */
    private static int count(ByteBuffer in, int n, int minBytesEach) {
        if (n < 0 || (long) n * minBytesEach > in.remaining()) {
            throw new IllegalArgumentException("cached prediction is corrupt (count " + n + " with " + in.remaining()
                    + " bytes left)");
        }
        return n;
    }

    private static byte[][] utf8(String[] strings) {
        byte[][] out = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            out[i] = strings[i] == null ? null : strings[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static int stringSize(String s) {
        // names and datatypes are short; encoding twice is cheaper than keeping the bytes around
        return 4 + (s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length);
    }

    private static void putString(ByteBuffer out, String s) {
        putBytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void putBytes(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length).put(b);
        }
    }

    private static String getString(ByteBuffer in) {
        int n = in.getInt();
        if (n == -1) {
            return null;
        }
        count(in, n, 1);
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    /** A view buffer does not move its parent's position: move it past what the view wrote. */
    private static void skip(ByteBuffer b, int bytes) {
        b.position(b.position() + bytes);
    }

    private static <T> T skipped(ByteBuffer b, int bytes, T value) {
        skip(b, bytes);
        return value;
    }
}
