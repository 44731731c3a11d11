package io.modelmesh.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens: generation (32 random bytes, URL-safe, with a prefix secret scanners recognise), the SHA-256 hash
 * they are stored and compared as, and the {@code Authorization: Bearer} header. Tokens are never stored or logged; their
 * hashes are. A plain SHA-256 is enough: the tokens carry 256 bits of randomness, so there is nothing to brute-force.
 */
public final class Tokens {
    /** Prefix of API tokens ({@code mmctl token create}, the admin and join tokens). */
    public static final String API_PREFIX = "mmt_";
    /** Prefix of a node's session secret, agreed when it joins. */
    public static final String NODE_PREFIX = "mmn_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_LENGTH = 512;

    private Tokens() {
    }

    /** A new random token: {@code prefix} followed by 43 URL-safe characters (32 bytes). */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes: what is stored, looked up and compared. */
    public static String hash(String token) {
        return HexFormat.of().formatHex(sha256().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares two hashes (or secrets) in time that does not depend on where they differ. */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), if the header is one and the
     * token is printable ASCII of a sane length.
     */
    public static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.length() <= 7 || h.length() > MAX_LENGTH || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String t = h.substring(7).trim();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return Optional.empty();
            }
        }
        return Optional.of(t);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
