package io.modelmesh.controlplane.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.errors.ForbiddenException;
import io.modelmesh.server.errors.UnauthorizedException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The admin check of admin-only endpoints: the request must carry {@code Authorization: Bearer <admin token>}. Only
 * {@code POST /deployments/chaos} is admin-only so far; the token is {@code --admin-token} / {@code MM_ADMIN_TOKEN} or
 * the one in {@code HOME/admin-token}.
 */
public final class AdminAuth {
    static final String MISSING = "admin token required: pass --token or set MM_TOKEN; the local stack's token is in "
            + "MM_HOME/admin-token";

    private final byte[] token;

    public AdminAuth(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be empty");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Passes when the request carries the admin token.
     *
     * @throws UnauthorizedException when it carries no bearer token (401)
     * @throws ForbiddenException    when it carries another one (403)
     */
    public void require(ServerRequest req) {
        Optional<String> given = bearer(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        if (given.isEmpty()) {
            throw new UnauthorizedException(MISSING);
        }
        // constant time: how much of a guess matches must not show in the response time
        if (!MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException("the admin token is wrong; the local stack's token is in MM_HOME/admin-token "
                    + "(or the control plane's --admin-token / MM_ADMIN_TOKEN)");
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive), if it is one. */
    static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
