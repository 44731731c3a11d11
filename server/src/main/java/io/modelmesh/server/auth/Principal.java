package io.modelmesh.server.auth;

import io.modelmesh.api.RateLimit;
import io.modelmesh.api.Scope;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who made a request, as established by a server's {@link Guard}: a named API token with its scopes (and rate limit),
 * a joined node, the control plane (a signed push to a node), or anonymous (only where a server allows it).
 *
 * @param name      the token's name (recorded as the author of what it changes), {@code node:<id>}, or "anonymous"
 * @param scopes    what it may do ({@link Scope#implies})
 * @param kind      how it was established
 * @param nodeId    the node a node credential belongs to, else null
 * @param rateLimit the token's rate limit, or null for none
 * @param key       the key its rate limit is counted under (the token's hash), or null
 */
public record Principal(String name, Set<Scope> scopes, Kind kind, String nodeId, RateLimit rateLimit, String key) {
    /** How a principal was established. */
    public enum Kind { TOKEN, NODE, CONTROL_PLANE, ANONYMOUS }

    public Principal {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
    }

    /** An API token's principal. */
    public static Principal token(String name, Set<Scope> scopes, RateLimit rateLimit, String hash) {
        return new Principal(name, scopes, Kind.TOKEN, null, rateLimit, hash);
    }

    /** A joined node, which may use the node channel for itself only. */
    public static Principal node(String nodeId) {
        return new Principal("node:" + nodeId, Set.of(Scope.NODE), Kind.NODE, nodeId, null, null);
    }

    /** The control plane, proven by a signature only it and the node share. */
    public static Principal controlPlane() {
        return new Principal("control-plane", Set.of(), Kind.CONTROL_PLANE, null, null, null);
    }

    /** A caller without credentials, allowed {@code scopes} by the server's configuration. */
    public static Principal anonymous(Set<Scope> scopes) {
        return new Principal("anonymous", scopes, Kind.ANONYMOUS, null, null, null);
    }

    /** Whether this principal's scopes grant {@code required}. */
    public boolean has(Scope required) {
        return Scope.granted(scopes, required);
    }
}
