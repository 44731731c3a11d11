package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /nodes/{id}/credentials}: the tokens a node accepts (those granting {@code predict} or {@code read}), as
 * hashes, so nodes check tokens without a round trip to the control plane. A token's hash cannot be turned back into
 * the token.
 *
 * @param version the same value heartbeats carry as {@code credentials_version}
 */
public record NodeCredentials(String version, List<Credential> tokens) {
    public NodeCredentials {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /** One accepted token. */
    public record Credential(String name, String tokenHash, List<String> scopes, Instant expiresAt,
                             RateLimit rateLimit) {
    }
}
