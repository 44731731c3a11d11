package io.modelmesh.api;

import java.time.Instant;
import java.util.List;

/** An API token as listed: never the token itself, which is shown once when it is created. */
public record TokenInfo(String name, List<String> scopes, Instant createdAt, String createdBy, Instant expiresAt,
                        Instant lastUsedAt, Instant revokedAt, RateLimit rateLimit) {
}
