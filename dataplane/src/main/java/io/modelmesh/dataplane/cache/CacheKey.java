package io.modelmesh.dataplane.cache;

import io.modelmesh.engine.FloatBatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a prediction is cached under: SHA-256 over a canonical encoding of the model, the version, the batch shape and
 * every input value. Never {@code hashCode()}-based: two different inputs must not share an answer.
 *
 * <p>The encoding, all integers big-endian:
 * <pre>
 *   "modelmesh/prediction-cache/v1"
 *   int length, UTF-16 chars  model
 *   int length, UTF-16 chars  version
 *   int rows, int cols
 *   rows * cols ints          Float.floatToIntBits of each value, -0.0 as 0.0 and every NaN as the one canonical NaN
 * </pre>
 * Length prefixes keep {@code ("ab", "c")} and {@code ("a", "bc")} apart, and the shape keeps a 1x4 batch apart from a
 * 2x2 one with the same values. Rows bound by feature name are already in the version's column order when the parser
 * hands them over, so {@code {"a":1,"b":2}} and {@code {"b":2,"a":1}} give the same key.
 *
 * <p>{@code version} must name one immutable artifact: if a version could be re-registered with another artifact, pass
 * something that changes with it (e.g. version plus artifact digest).
 *
 * <p>Cost: on the request path, so no allocation per value. Digests and their scratch buffers come from a small
 * lock-free pool rather than a {@code ThreadLocal}: Helidon runs every request on a new virtual thread, so a
 * thread-local would be created afresh, used once and thrown away.
 */
public final class CacheKey {
    /** Digest length in bytes. */
    public static final int LENGTH = 32;

    private static final byte[] DOMAIN = "modelmesh/prediction-cache/v1".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final HexFormat HEX = HexFormat.of();
    private static final HasherPool POOL = new HasherPool();

    private final byte[] digest;
    private final int hash;
    private volatile String hex;

    private CacheKey(byte[] digest) {
        this.digest = digest;
        this.hash = (int) INT_BE.get(digest, 0); // SHA-256 output is uniform: its first four bytes are a fine hash
    }

    /** The key of {@code batch} (only its first {@code rows * cols} values) for one model version. */
    public static CacheKey of(String model, String version, FloatBatch batch) {
        Hasher h = POOL.take();
        byte[] digest = h.hash(model, version, batch);
        POOL.give(h); // not in a finally: a hasher that threw half-way holds a dirty digest, so it is dropped
        return new CacheKey(digest);
    }

    /** The 32 digest bytes (a copy). */
    public byte[] bytes() {
        return digest.clone();
    }

    /** The digest without copying; callers in this package must not modify it. */
    byte[] rawBytes() {
        return digest;
    }

    /** The digest as 64 lowercase hex digits. */
    public String hex() {
        String h = hex;
        if (h == null) {
            h = HEX.formatHex(digest);
            hex = h;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CacheKey k && hash == k.hash && Arrays.equals(digest, k.digest);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "CacheKey[" + hex() + "]";
    }

    /** A SHA-256 digest with a scratch buffer the values are packed into before each update. */
    private static final class Hasher {
        private final MessageDigest sha;
        private final byte[] buf = new byte[1024];
        private int pos;

        Hasher() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }

        byte[] hash(String model, String version, FloatBatch batch) {
            pos = 0;
            sha.update(DOMAIN);
            putString(model);
            putString(version);
            putInt(batch.rows());
            putInt(batch.cols());
            float[] values = batch.values();
            int n = batch.rows() * batch.cols();
            for (int i = 0; i < n; i++) {
                float f = values[i];
                putInt(f == 0.0f ? 0 : Float.floatToIntBits(f)); // -0.0 == 0.0; floatToIntBits folds NaNs to one
            }
            sha.update(buf, 0, pos);
            return sha.digest(); // also resets the digest for the next use
        }

        private void putString(String s) {
            putInt(s.length());
            for (int i = 0; i < s.length(); i++) {
                if (pos + 2 > buf.length) {
                    flush();
                }
                char c = s.charAt(i);
                buf[pos++] = (byte) (c >>> 8);
                buf[pos++] = (byte) c;
            }
        }

        private void putInt(int v) {
            if (pos + 4 > buf.length) {
                flush();
            }
            INT_BE.set(buf, pos, v);
            pos += 4;
        }

        private void flush() {
            sha.update(buf, 0, pos);
            pos = 0;
        }
    }

    /**
     * A few hashers shared by all threads: a thread takes the one in "its" slot (or the next), or makes a new one when
     * both are busy, and puts it back if the slot is free. Never blocks.
     */
    private static final class HasherPool {
        private final AtomicReferenceArray<Hasher> slots;
        private final int mask;

        HasherPool() {
            int n = Integer.highestOneBit(Math.max(2, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
            slots = new AtomicReferenceArray<>(n);
            mask = n - 1;
        }

        Hasher take() {
            int i = slot();
            Hasher h = slots.getAndSet(i, null);
            if (h == null) {
                h = slots.getAndSet((i + 1) & mask, null);
            }
            return h != null ? h : new Hasher();
        }

        void give(Hasher h) {
            int i = slot();
            if (!slots.compareAndSet(i, null, h)) {
                slots.compareAndSet((i + 1) & mask, null, h);
            }
        }

        private int slot() {
            long id = Thread.currentThread().threadId();
            return (int) (id ^ (id >>> 16)) & mask;
        }
    }
}
