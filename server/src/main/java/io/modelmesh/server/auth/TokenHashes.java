package io.modelmesh.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hashes of tokens a guard has seen accepted, so a client that sends the same token on every request is not
 * hashed again each time (a SHA-256, a {@code MessageDigest} lookup and a hex string per request). Only hashing is
 * remembered: the {@link BearerGuard.Directory} is still asked on every request, so a revoked or expired token is
 * refused at once. Only tokens the directory knew are added (random tokens cannot fill it), at most {@link #MAX}
 * (the memo is emptied when full), and keys are compared in constant time.
 */
final class TokenHashes {
    /** Tokens remembered at most. */
    static final int MAX = 1024;

    private final ConcurrentHashMap<Secret, String> hashes = new ConcurrentHashMap<>();

    /** The token's hash if remembered, else null (then compute it with {@link Tokens#hash}). */
    String remembered(String token) {
        return hashes.get(new Secret(token));
    }

    /** Remembers the hash of a token the directory accepted. */
    void remember(String token, String hash) {
        if (hashes.size() >= MAX) {
            hashes.clear();
        }
        hashes.put(new Secret(token), hash);
    }

    int size() {
        return hashes.size();
    }

    /** A token as a map key whose comparison does not depend on where two tokens differ. */
    private static final class Secret {
        private final byte[] bytes;
        private final int hash;

        Secret(String token) {
            this.bytes = token.getBytes(StandardCharsets.UTF_8);
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Secret s && MessageDigest.isEqual(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
