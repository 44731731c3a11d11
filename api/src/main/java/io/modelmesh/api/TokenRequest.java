package io.modelmesh.api;

import java.util.List;

/**
 * {@code POST /tokens}: a new API token.
 *
 * @param name             unique among active tokens; recorded as the author of what the token changes
 * @param scopes           read, deploy, admin, node, predict, preview (at least one)
 * @param expiresInSeconds lifetime, or null for a token that does not expire
 * @param rateLimit        requests a second with a burst, or null for no limit
 */
public record TokenRequest(String name, List<String> scopes, Long expiresInSeconds, RateLimit rateLimit) {
}
