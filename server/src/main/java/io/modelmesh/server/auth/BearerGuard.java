package io.modelmesh.server.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.api.Scope;
import io.modelmesh.server.errors.ForbiddenException;
import io.modelmesh.server.errors.RateLimitedException;
import io.modelmesh.server.errors.UnauthorizedException;
import io.modelmesh.server.http.Access;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The common part of both servers' guards: reads {@code Authorization: Bearer}, finds the token by its hash in a
 * {@link Directory}, checks its scope and rate limit. Anonymous callers get {@code anonymousScopes} (none on the
 * control plane; {@code predict} on a node that allows anonymous predictions). {@link Access#CONTROL_PLANE} routes
 * are left to the {@code controlPlane} check the node supplies.
 */
public final class BearerGuard implements Guard {
    /** Where tokens are found, by hash. Unknown, expired and revoked tokens are all absent. */
    @FunctionalInterface
    public interface Directory {
        Optional<Principal> find(String tokenHash);
    }

    private final Directory directory;
    private final Principal anonymous;
    private final RateLimiter limiter;
    private final Guard controlPlane;
    private final String hint;
    private final TokenHashes hashes = new TokenHashes();

    /**
     * @param controlPlane checks {@link Access#CONTROL_PLANE} routes (null: such routes refuse everyone)
     * @param hint         where a caller gets a token, appended to 401 messages
     */
    public BearerGuard(Directory directory, Set<Scope> anonymousScopes, RateLimiter limiter, Guard controlPlane,
                       String hint) {
        this.directory = directory;
        this.anonymous = Principal.anonymous(anonymousScopes);
        this.limiter = limiter;
        this.controlPlane = controlPlane;
        this.hint = hint;
    }

    @Override
    public Principal check(ServerRequest req, Access access) {
        if (access == Access.CONTROL_PLANE) {
            if (controlPlane == null) {
                throw new UnauthorizedException("this endpoint only answers this node's control plane");
            }
            return controlPlane.check(req, access);
        }
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (access == Access.PUBLIC) {
            return anonymous;
        }
        Scope required = access.scope();
        if (header.isEmpty()) {
            if (anonymous.has(required)) {
                return anonymous;
            }
            throw new UnauthorizedException("this endpoint needs a token with scope '" + required.wireName()
                    + "': send 'Authorization: Bearer <token>'" + hint);
        }
        String token = Tokens.bearer(header.get()).orElseThrow(() -> new UnauthorizedException(
                "the Authorization header is not 'Bearer <token>'" + hint));
        String remembered = hashes.remembered(token);
        String hash = remembered != null ? remembered : Tokens.hash(token);
        Principal who = directory.find(hash).orElseThrow(() -> new UnauthorizedException(
                "the token is unknown, expired or revoked" + hint));
        if (remembered == null) {
            hashes.remember(token, hash);
        }
        if (!who.has(required)) {
            throw new ForbiddenException("token '" + who.name() + "' has scope " + names(who.scopes())
                    + "; this endpoint needs '" + required.wireName() + "' (an admin can create one: mmctl token "
                    + "create NAME --scope " + required.wireName() + ")");
        }
        if (who.rateLimit() != null && who.key() != null) {
            long waitNanos = limiter.acquire(who.key(), who.rateLimit());
            if (waitNanos > 0) {
                throw new RateLimitedException("token '" + who.name() + "' is over its rate limit of "
                        + who.rateLimit().perSecond() + " requests/s (burst " + who.rateLimit().burst() + "); retry "
                        + "after the Retry-After seconds", TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1);
            }
        }
        return who;
    }

    private static String names(Set<Scope> scopes) {
        return scopes.isEmpty() ? "none" : scopes.stream().map(Scope::wireName).sorted().toList().toString();
    }
}
