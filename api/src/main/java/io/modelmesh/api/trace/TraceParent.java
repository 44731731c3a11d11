package io.modelmesh.api.trace;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C trace context ({@code traceparent: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}), as the servers
 * answer it and as the SDK sends it. Pure: parsing, new traces and child spans.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId  16 lower-case hex digits, not all zero
 * @param flags   2 hex digits ({@code 01}: sampled)
 */
public record TraceParent(String traceId, String spanId, String flags) {
    /** The header's name. */
    public static final String HEADER = "traceparent";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /** The trace context of a valid header (version 00 or a later one), else null. */
    public static TraceParent parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        // version-traceid-parentid-flags; a later version may append fields after a dash
        if (h.length() < 55 || (h.length() > 55 && h.charAt(55) != '-') || h.charAt(2) != '-' || h.charAt(35) != '-'
                || h.charAt(52) != '-') {
            return null;
        }
        String version = h.substring(0, 2);
        String trace = h.substring(3, 35);
        String parent = h.substring(36, 52);
        String flags = h.substring(53, 55);
        if (!hex(version) || version.equals("ff") || (version.equals("00") && h.length() != 55) || !hex(trace)
                || !hex(parent) || !hex(flags) || zero(trace) || zero(parent)) {
            return null;
        }
        return new TraceParent(trace, parent, flags);
    }

    /** A new, sampled trace with a new span. */
    public static TraceParent newTrace() {
        return new TraceParent(random(16), random(8), "01");
    }

    /** A new span in this trace (same trace id and flags). */
    public TraceParent child() {
        return new TraceParent(traceId, random(8), flags);
    }

    /** The child of {@code parent}, or a new trace when there is no parent. */
    public static TraceParent childOf(TraceParent parent) {
        return parent == null ? newTrace() : parent.child();
    }

    public boolean sampled() {
        return (Character.digit(flags.charAt(1), 16) & 1) == 1;
    }

    /** The header's value. */
    public String header() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    private static boolean hex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** {@code bytes} random bytes as hex, never all zero. */
    static String random(int bytes) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        byte[] out = new byte[bytes * 2];
        boolean zero = true;
        while (zero) { // W3C: an all-zero id is invalid
            for (int i = 0; i < out.length; i += 16) {
                long v = r.nextLong();
                zero &= v == 0 || i + 16 > out.length && (v & -1L >>> 64 - 4 * (out.length - i)) == 0;
                for (int j = i; j < Math.min(out.length, i + 16); j++) {
                    out[j] = HEX[(int) (v & 0xf)];
                    v >>>= 4;
                }
            }
        }
        return new String(out, StandardCharsets.ISO_8859_1); // one copy: no char[] and no second String to test
    }
}
