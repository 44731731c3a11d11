package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.modelmesh.dataplane.reliability.Drain;
import io.modelmesh.server.errors.ShuttingDownException;

/**
 * Counts the node's work requests (predictions, OIP model calls, echo) in flight for a graceful stop, and refuses new
 * ones with 503 {@code shutting_down} and {@code Retry-After} once the node drains. Health, readiness, metrics and
 * routing pushes are not counted and never refused: they are how the world learns the node is going.
 */
final class DrainFilter implements Filter {
    private final Drain drain;
    private final String nodeId;

    DrainFilter(Drain drain, String nodeId) {
        this.drain = drain;
        this.nodeId = nodeId;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!counted(req.path().absolute().path())) {
            chain.proceed();
            return;
        }
        if (!drain.tryEnter()) {
            throw new ShuttingDownException("node " + nodeId + " is shutting down: it finishes the requests it took and "
                    + "takes no new ones; send this one to another node", 1);
        }
        try {
            chain.proceed();
        } finally {
            drain.exit();
        }
    }

    /** Work a client waits for: what a graceful stop must finish, and must stop taking. */
    static boolean counted(String path) {
        return path.startsWith("/predict/") || path.startsWith("/v2/models/") || path.equals("/echo");
    }
}
