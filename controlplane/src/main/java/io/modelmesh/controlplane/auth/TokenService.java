package io.modelmesh.controlplane.auth;

import io.modelmesh.api.CreatedToken;
import io.modelmesh.api.RateLimit;
import io.modelmesh.api.Scope;
import io.modelmesh.api.TokenInfo;
import io.modelmesh.api.TokenRequest;
import io.modelmesh.controlplane.store.TokenRecord;
import io.modelmesh.controlplane.store.TokenRepository;
import io.modelmesh.server.auth.Tokens;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * API tokens: created random (shown once, stored as a hash), listed without the token, revoked by name. Every change
 * reloads the {@link TokenDirectory} so it takes effect on this process at once (on others within its refresh).
 */
public final class TokenService {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    private final TokenRepository tokens;
    private final TokenDirectory directory;
    private final Clock clock;

    public TokenService(TokenRepository tokens, TokenDirectory directory, Clock clock) {
        this.tokens = tokens;
        this.directory = directory;
        this.clock = clock;
    }

    /**
     * @throws InvalidInputException naming the field to fix
     * @throws ConflictException     when an active token has the name
     */
    public CreatedToken create(TokenRequest request, String createdBy) {
        String name = requireName(request.name());
        Set<Scope> scopes = requireScopes(request.scopes());
        Instant now = clock.instant();
        Instant expires = null;
        if (request.expiresInSeconds() != null) {
            long s = request.expiresInSeconds();
            if (s < 1 || s > MAX_LIFETIME.toSeconds()) {
                throw new InvalidInputException("expires_in_seconds must be between 1 and " + MAX_LIFETIME.toSeconds()
                        + " (10 years), got " + s + "; omit it for a token that does not expire");
            }
            expires = now.plusSeconds(s);
        }
        RateLimit limit = request.rateLimit();
        String token = Tokens.generate(Tokens.API_PREFIX);
        TokenRecord record = new TokenRecord(0, name, Tokens.hash(token), scopes, now, createdBy, expires, null, null,
                limit);
        if (tokens.active(name).isPresent()) {
            throw conflict(name);
        }
        try {
            tokens.insert(record);
        } catch (RuntimeException e) {
            if (tokens.active(name).isPresent()) {
                throw conflict(name); // another request created it between the check and the insert
            }
            throw e;
        }
        directory.reload();
        return new CreatedToken(token, record.info());
    }

    public List<TokenInfo> list(boolean includeRevoked) {
        return tokens.list().stream().filter(t -> includeRevoked || t.revokedAt() == null).map(TokenRecord::info)
                .toList();
    }

    /** @throws NotFoundException when no active token has the name */
    public TokenInfo revoke(String name) {
        requireName(name);
        TokenRecord t = tokens.active(name).orElseThrow(() -> new NotFoundException("no active token named '" + name
                + "' (mmctl token list shows them)"));
        if (!tokens.revoke(name, clock.instant())) {
            throw new NotFoundException("token '" + name + "' was revoked meanwhile");
        }
        directory.reload();
        return tokens.byHash(t.hash()).map(TokenRecord::info).orElse(t.info());
    }

    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("token name '" + name + "' is not allowed: use 1 to 64 letters, digits, "
                    + "'.', '_' or '-', starting with a letter or digit (e.g. ci-deploy)");
        }
        return name;
    }

    static Set<Scope> requireScopes(List<String> given) {
        if (given == null || given.isEmpty()) {
            throw new InvalidInputException("scopes must name at least one of read, deploy, admin, node, predict, "
                    + "preview");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : given) {
            try {
                scopes.add(Scope.parse(s));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(e.getMessage());
            }
        }
        return scopes;
    }

    private static ConflictException conflict(String name) {
        return new ConflictException("an active token is already named '" + name + "'; revoke it first (mmctl token "
                + "revoke " + name + ") or choose another name");
    }
}
