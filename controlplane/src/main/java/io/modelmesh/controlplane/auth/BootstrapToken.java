package io.modelmesh.controlplane.auth;

import io.modelmesh.api.Scope;
import io.modelmesh.controlplane.store.TokenRecord;
import io.modelmesh.controlplane.store.TokenRepository;
import io.modelmesh.server.auth.Tokens;
import io.modelmesh.server.secrets.SecretFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The two tokens a control plane makes for itself, so a fresh install needs no manual step: {@code admin} (scope
 * admin: what {@code mmctl} on the same machine uses) and {@code join} (scope node: what local nodes join with).
 *
 * <p>From the environment variable when it is set: that token becomes the active one of its name (replacing another).
 * Otherwise from the file under HOME: the first control plane on a database creates the token and writes the file
 * (owner-only); a control plane whose file holds a token the database knows uses it; a second control plane on the same
 * database with its own HOME leaves its file alone rather than replace the first one's token (pass it the token by
 * environment, or copy the file). A file whose token was revoked gets a new token when no other token of that name is
 * active: revoke, then restart, rotates it.
 */
public record BootstrapToken(String name, Scope scope, String fileName, String envVariable) {
    private static final Logger LOG = Logger.getLogger(BootstrapToken.class.getName());
    private static final String DELETE_IT = "delete it to have a new token made at the next start";

    public static final BootstrapToken ADMIN = new BootstrapToken("admin", Scope.ADMIN, "admin-token", "MM_ADMIN_TOKEN");
    public static final BootstrapToken JOIN = new BootstrapToken("join", Scope.NODE, "join-token", "MM_JOIN_TOKEN");

    /**
     * Makes sure this control plane's token of this kind works.
     *
     * @param configured the token from the environment, or null for the file under {@code home}
     * @return the token, or empty when this control plane has none (another one on the database made it)
     * @throws IllegalStateException when a configured token was revoked
     */
    public Optional<String> ensure(TokenRepository tokens, Clock clock, Path home, String configured) {
        if (configured != null) {
            return Optional.of(ensureConfigured(tokens, clock, configured));
        }
        Path file = home.resolve(fileName);
        Optional<TokenRecord> active = tokens.active(name);
        if (!Files.exists(file)) {
            if (active.isPresent()) {
                LOG.info("a '" + name + "' token exists already (made by another control plane on this database); "
                        + file + " is not written: give this machine that token with " + envVariable
                        + " or by copying the file");
                return Optional.empty();
            }
            String token = SecretFile.loadOrCreate(file, () -> Tokens.generate(Tokens.API_PREFIX), DELETE_IT);
            insert(tokens, clock, token);
            return Optional.of(token);
        }
        String token = SecretFile.loadOrCreate(file, () -> Tokens.generate(Tokens.API_PREFIX), DELETE_IT);
        Optional<TokenRecord> known = tokens.byHash(Tokens.hash(token));
        if (known.isPresent() && known.get().revokedAt() == null) {
            return Optional.of(token);
        }
        if (active.isPresent()) {
            LOG.warning(file + " holds a token this database does not accept (revoked, or from another database) and "
                    + "another '" + name + "' token is active; delete the file, or set " + envVariable);
            return Optional.empty();
        }
        if (known.isPresent()) { // revoked: rotate
            token = Tokens.generate(Tokens.API_PREFIX);
            SecretFile.replace(file, token);
            LOG.warning("the " + name + " token in " + file + " had been revoked; a new one was written there");
        }
        insert(tokens, clock, token); // a database that never saw it (new or rebuilt): adopt the file's token
        return Optional.of(token);
    }

    private String ensureConfigured(TokenRepository tokens, Clock clock, String token) {
        Optional<TokenRecord> known = tokens.byHash(Tokens.hash(token));
        if (known.isPresent()) {
            if (known.get().revokedAt() != null) {
                throw new IllegalStateException("the token in " + envVariable + " was revoked; set a new one");
            }
            return token;
        }
        if (tokens.active(name).isPresent()) {
            tokens.revoke(name, clock.instant());
            LOG.info("the '" + name + "' token changed (" + envVariable + "); the previous one is revoked");
        }
        insert(tokens, clock, token);
        return token;
    }

    private void insert(TokenRepository tokens, Clock clock, String token) {
        Instant now = clock.instant();
        String hash = Tokens.hash(token);
        try {
            tokens.insert(new TokenRecord(0, name, hash, Set.of(scope), now, "control-plane", null, null, null, null));
        } catch (RuntimeException e) {
            if (tokens.byHash(hash).isEmpty()) { // else another control plane on the same database inserted it first
                throw e;
            }
        }
    }
}
