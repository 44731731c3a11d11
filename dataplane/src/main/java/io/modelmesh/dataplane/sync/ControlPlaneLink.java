package io.modelmesh.dataplane.sync;

import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the node known to the control plane: registers, heartbeats every interval, and fetches the routing table when
 * a heartbeat says a newer revision exists (a node that missed a push catches up here) or when the node's own revision
 * is incomplete (models it could not prepare are retried here, and a table restored from disk is compared once). Runs on one virtual thread;
 * the control plane being down only means retrying — the node goes on serving what it has.
 */
public final class ControlPlaneLink implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ControlPlaneLink.class.getName());

    private final String nodeId;
    private final String url;
    private final ControlPlaneApi api;
    private final RoutingApplier applier;
    private final Duration interval;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean registered;
    private volatile boolean reachable;
    private Thread thread;

    public ControlPlaneLink(String nodeId, String url, ControlPlaneApi api, RoutingApplier applier, Duration interval) {
        this.nodeId = nodeId;
        this.url = url;
        this.api = api;
        this.applier = applier;
        this.interval = interval;
    }

    public void start() {
        thread = Thread.ofVirtual().name("cp-link-" + nodeId).start(this::run);
    }

    /** Whether the last exchange with the control plane succeeded. */
    public boolean reachable() {
        return reachable;
    }

    private void run() {
        boolean warned = false;
        do {
            try {
                tick();
                reachable = true;
                warned = false;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                reachable = false;
                registered = false;
                if (!warned) {
                    LOG.log(Level.WARNING, "node {0}: control plane {1} unreachable ({2}); serving revision {3} "
                            + "and retrying", nodeId, api.base(), e.getMessage(), applier.current().revision());
                    warned = true;
                }
            }
        } while (!awaitStop());
    }

    /** One exchange: register or heartbeat, then catch up if behind. */
    void tick() throws Exception {
        long serving = applier.current().revision();
        HeartbeatReply reply = registered
                ? api.heartbeat(new NodeHeartbeat(nodeId, serving))
                : api.register(new NodeRegistration(nodeId, url, serving));
        if (!reply.known()) {
            registered = false;
            return;
        }
        if (!registered) {
            LOG.log(Level.INFO, "node {0} registered with {1} as {2}", nodeId, api.base(), url);
        }
        registered = true;
        if (reply.latestRevision() > applier.current().revision() || applier.incomplete()) {
            applier.apply(api.routing()); // behind, or models left behind to retry (or a restored table to compare)
        } else {
            applier.markSynced();
        }
    }

    private boolean awaitStop() {
        try {
            return stop.await(interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        stop.countDown();
        if (thread != null) {
            thread.interrupt();
        }
    }
}
