package io.modelmesh.dataplane.auth;

import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.server.auth.PushSignature;
import io.modelmesh.server.errors.UnauthorizedException;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * This node's session with its control plane: the token it got when it joined (it authenticates the node's calls)
 * and the push key derived from it (it proves a routing push comes from that control plane). Held in memory only: a
 * restarted node joins again and gets a new one.
 */
public final class NodeSession {
    private record Keys(String token, String pushKey) {
    }

    private final LongSupplier epochMillis;
    private volatile Keys keys;

    public NodeSession(LongSupplier epochMillis) {
        this.epochMillis = epochMillis;
    }

    /** Starts using the session the control plane answered a join with. */
    public void joined(String sessionToken) {
        keys = new Keys(sessionToken, PushSignature.key(sessionToken));
    }

    /** Forgets the session (the control plane no longer knows it); the node joins again. */
    public void lost() {
        keys = null;
    }

    /** The session token to send as {@code Authorization: Bearer}, if joined. */
    public Optional<String> token() {
        Keys k = keys;
        return k == null ? Optional.empty() : Optional.of(k.token());
    }

    /**
     * Checks that a push was signed by this node's control plane.
     *
     * @throws UnauthorizedException 401 saying why not
     */
    public void verifyPush(ServerRequest req, byte[] body) {
        Keys k = keys;
        Optional<String> problem = PushSignature.verify(k == null ? null : k.pushKey(),
                req.headers().first(io.helidon.http.HeaderNames.create(PushSignature.HEADER)).orElse(null),
                req.prologue().method().text(), req.path().absolute().path(), epochMillis.getAsLong(), body);
        if (problem.isPresent()) {
            throw new UnauthorizedException("routing push refused: " + problem.get());
        }
    }
}
