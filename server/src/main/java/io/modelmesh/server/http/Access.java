package io.modelmesh.server.http;

import io.modelmesh.api.Scope;

/**
 * What a route requires of its caller. Every route of both servers is registered with one (through
 * {@link ScopedRoutes}), and the route-walking tests check each against callers without and with the wrong credentials.
 */
public enum Access {
    /** Anyone: liveness and readiness probes, and (when so configured) metrics. */
    PUBLIC(null),
    READ(Scope.READ),
    DEPLOY(Scope.DEPLOY),
    ADMIN(Scope.ADMIN),
    /** A node's credential: its join token, then its session. */
    NODE(Scope.NODE),
    PREDICT(Scope.PREDICT),
    /**
     * Predictions of versions no route sends traffic to. The predict routes require {@link #PREDICT} and check this
     * scope themselves when a request asks for a preview ({@code X-ModelMesh-Preview: true}).
     */
    PREVIEW(Scope.PREVIEW),
    /** The node's own control plane, proven by a signature with the secret they agreed when the node joined. */
    CONTROL_PLANE(null);

    private final Scope scope;

    Access(Scope scope) {
        this.scope = scope;
    }

    /** The scope a token must grant, or null for {@link #PUBLIC} and {@link #CONTROL_PLANE}. */
    public Scope scope() {
        return scope;
    }

    /** The access a scope's routes require. */
    public static Access of(Scope scope) {
        return switch (scope) {
            case READ -> READ;
            case DEPLOY -> DEPLOY;
            case ADMIN -> ADMIN;
            case NODE -> NODE;
            case PREDICT -> PREDICT;
            case PREVIEW -> PREVIEW;
        };
    }
}
