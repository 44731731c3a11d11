package io.modelmesh.controlplane.store;

import io.modelmesh.api.RateLimit;
import io.modelmesh.api.Scope;
import io.modelmesh.api.TokenInfo;

import java.time.Instant;
import java.util.Set;

/** A row of {@code api_tokens}: the token's hash, never the token. */
public record TokenRecord(long id, String name, String hash, Set<Scope> scopes, Instant createdAt, String createdBy,
                          Instant expiresAt, Instant lastUsedAt, Instant revokedAt, RateLimit rateLimit) {
    public TokenRecord {
        scopes = Set.copyOf(scopes);
    }

    /** Whether the token authenticates at {@code now}: not revoked and not expired. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public TokenInfo info() {
        return new TokenInfo(name, scopes.stream().sorted().map(Scope::wireName).toList(), createdAt, createdBy,
                expiresAt, lastUsedAt, revokedAt, rateLimit);
    }
}
