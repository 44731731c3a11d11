package io.modelmesh.dataplane.routing;

/**
 * Stable 64-bit hashing for sticky routing: the same string gives the same hash on every node, JVM and release
 * (unlike {@link String#hashCode()}), and {@link #mix64} spreads any 64-bit value over all bits.
 */
public final class StickyHash {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final double TWO_POW_53 = 0x1.0p-53;

    private StickyHash() {
    }

    /** FNV-1a 64 over the string's UTF-16 code units (two bytes each), then {@link #mix64}. */
    public static long of(String s) {
        long h = FNV_OFFSET;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xff)) * FNV_PRIME;
            h = (h ^ (c >>> 8)) * FNV_PRIME;
        }
        return mix64(h);
    }

    /** SplitMix64's finalizer: a bijection on longs with good avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A uniform value in the open interval (0, 1) from the top 53 bits of {@code h}. */
    public static double unit(long h) {
        return ((h >>> 11) + 0.5) * TWO_POW_53;
    }
}
