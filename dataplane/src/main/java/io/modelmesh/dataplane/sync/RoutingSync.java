package io.modelmesh.dataplane.sync;

import io.modelmesh.api.RoutingAck;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.Semaphore;

/**
 * The node's routing intake: on request (a revision notice, a heartbeat answer showing the node behind or serving
 * another identity's table, models left behind to retry), one virtual thread fetches the table ({@code GET
 * /nodes/{id}/routing}) and hands it to the {@link RoutingApplier}, which prepares it off every request path and
 * switches. Requests made while a fetch is under way are served by one more fetch afterwards, never queued up. After
 * each switch {@code afterApply} runs (the link then acknowledges at once with a heartbeat).
 */
public final class RoutingSync implements AutoCloseable {
    private static final Logger LOG = System.getLogger(RoutingSync.class.getName());

    private final String nodeId;
    private final ControlPlaneApi api;
    private final RoutingApplier applier;
    private final Runnable afterApply;
    private final Semaphore requested = new Semaphore(0);
    private volatile boolean stopped;
    private Thread thread;

    public RoutingSync(String nodeId, ControlPlaneApi api, RoutingApplier applier, Runnable afterApply) {
        this.nodeId = nodeId;
        this.api = api;
        this.applier = applier;
        this.afterApply = afterApply;
    }

    public RoutingSync start() {
        thread = Thread.ofVirtual().name("routing-sync-" + nodeId).start(this::run);
        return this;
    }

    /** Asks for a fetch; returns at once. */
    public void request() {
        if (requested.availablePermits() == 0) {
            requested.release();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                requested.acquire();
                requested.drainPermits(); // every request made until now is served by this fetch
            } catch (InterruptedException e) {
                return;
            }
            try {
                RoutingAck ack = applier.apply(api.routing());
                if (!ack.applied() && ack.error() != null) {
                    LOG.log(Level.INFO, "node {0}: {1}", nodeId, ack.error());
                }
                afterApply.run();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "node {0}: fetching the routing table from {1} failed ({2}); the next "
                        + "heartbeat tries again", nodeId, api.base(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
