package io.modelmesh.server.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * How a node knows a routing push comes from its own control plane. When a node joins, the control plane gives it a
 * session token; both derive a push key from it ({@link #key}). The control plane signs each push with HMAC-SHA256 over
 * the method, path, a timestamp and the body's SHA-256 ({@link #sign}); the node checks the signature and that the
 * timestamp is within {@link #MAX_SKEW} of its clock ({@link #verify}). A replayed push inside that window carries a
 * revision the node already has, which changes nothing.
 */
public final class PushSignature {
    /** The request header: {@code t=<epoch millis>,v1=<hex HMAC>}. */
    public static final String HEADER = "X-MM-Signature";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final String KEY_LABEL = "modelmesh push key v1";

    private PushSignature() {
    }

    /** The push key derived from a node's session token (hex), kept by the control plane instead of the token. */
    public static String key(String sessionToken) {
        return HexFormat.of().formatHex(hmac(sessionToken.getBytes(StandardCharsets.UTF_8),
                KEY_LABEL.getBytes(StandardCharsets.UTF_8)));
    }

    /** The header value for a request. */
    public static String sign(String pushKeyHex, String method, String path, long epochMillis, byte[] body) {
        return "t=" + epochMillis + ",v1=" + HexFormat.of().formatHex(mac(pushKeyHex, method, path, epochMillis, body));
    }

    /**
     * Checks a request's header.
     *
     * @return empty when the signature is good, else why not (for the 401 message; never says what was expected)
     */
    public static Optional<String> verify(String pushKeyHex, String header, String method, String path,
                                          long nowMillis, byte[] body) {
        if (pushKeyHex == null) {
            return Optional.of("this node has not joined a control plane yet, so it accepts no pushes");
        }
        if (header == null) {
            return Optional.of("the push carries no " + HEADER + " header");
        }
        long t = -1;
        String given = null;
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                try {
                    t = Long.parseLong(p.substring(2));
                } catch (NumberFormatException e) {
                    return Optional.of("the " + HEADER + " timestamp is not a number");
                }
            } else if (p.startsWith("v1=")) {
                given = p.substring(3);
            }
        }
        if (t < 0 || given == null) {
            return Optional.of("the " + HEADER + " header is not 't=<millis>,v1=<hex>'");
        }
        if (Math.abs(nowMillis - t) > MAX_SKEW.toMillis()) {
            return Optional.of("the push's timestamp is more than " + MAX_SKEW.toMinutes() + " minutes from this node's "
                    + "clock (replayed, or the clocks disagree)");
        }
        byte[] expected = mac(pushKeyHex, method, path, t, body);
        byte[] actual;
        try {
            actual = HexFormat.of().parseHex(given);
        } catch (IllegalArgumentException e) {
            return Optional.of("the " + HEADER + " signature is not hexadecimal");
        }
        return java.security.MessageDigest.isEqual(expected, actual) ? Optional.empty()
                : Optional.of("the push's signature does not match this node's session (not from its control plane)");
    }

    private static byte[] mac(String pushKeyHex, String method, String path, long epochMillis, byte[] body) {
        String bodyHash = HexFormat.of().formatHex(Tokens.sha256().digest(body));
        String message = method + "\n" + path + "\n" + epochMillis + "\n" + bodyHash;
        return hmac(HexFormat.of().parseHex(pushKeyHex), message.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
