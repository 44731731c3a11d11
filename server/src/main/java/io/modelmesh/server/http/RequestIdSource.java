package io.modelmesh.server.http;

import java.util.concurrent.ThreadLocalRandom;

/** New request ids for requests that came without one: 16 random hex digits. */
public final class RequestIdSource {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIdSource() {
    }

    public static String next() {
        long v = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (v & 0xf)];
            v >>>= 4;
        }
        return new String(out);
    }
}
