package io.modelmesh.server.http;

/** Whether a bind address names only this machine: the defaults that decide what may stay open without a token. */
public final class Loopback {
    private Loopback() {
    }

    /** True for 127.0.0.0/8, ::1 and localhost. */
    public static boolean is(String host) {
        String h = host.trim();
        return h.equalsIgnoreCase("localhost") || h.equals("::1") || h.equals("[::1]") || h.startsWith("127.");
    }
}
