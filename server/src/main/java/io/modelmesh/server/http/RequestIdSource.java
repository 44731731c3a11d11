package io.modelmesh.server.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** New request ids for requests that came without one: 16 random hex digits. */
public final class RequestIdSource {
    private static final HexFormat HEX = HexFormat.of();

    private RequestIdSource() {
    }

    public static String next() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong()); // one String, built in place
    }
}
