package io.modelmesh.dataplane.sync;

import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;

import io.modelmesh.dataplane.auth.NodeCredentialStore;
import io.modelmesh.dataplane.auth.NodeSession;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the node known to the control plane: joins with the join token (getting its session), heartbeats every
 * interval, fetches the routing table when a heartbeat says a newer revision exists (a node that missed a push catches
 * up here) or when the node's own revision is incomplete (models it could not prepare are retried here, and a table
 * restored from disk is compared once), and the token hashes it checks predictions against when they changed. Runs on
 * one virtual thread; the control plane being down only means retrying — the node goes on serving what it has.
 */
public final class ControlPlaneLink implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ControlPlaneLink.class.getName());

    private final String nodeId;
    private final String url;
    private final ControlPlaneApi api;
    private final RoutingApplier applier;
    private final Duration interval;
    private final NodeSession session;
    private final NodeCredentialStore credentials;
    private final Supplier<String> joinToken;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean registered;
    private volatile boolean reachable;
    private Thread thread;

    /** @param joinToken the join token, read at each join (null when none is configured yet) */
    public ControlPlaneLink(String nodeId, String url, ControlPlaneApi api, RoutingApplier applier, Duration interval,
                            NodeSession session, NodeCredentialStore credentials, Supplier<String> joinToken) {
        this.nodeId = nodeId;
        this.url = url;
        this.api = api;
        this.applier = applier;
        this.interval = interval;
        this.session = session;
        this.credentials = credentials;
        this.joinToken = joinToken;
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

    /** One exchange: join or heartbeat, then catch up on credentials and the routing table if behind. */
    void tick() throws Exception {
        long serving = applier.current().revision();
        HeartbeatReply reply;
        if (registered) {
            reply = api.heartbeat(new NodeHeartbeat(nodeId, serving));
        } else {
            String token = joinToken.get();
            if (token == null) {
                throw new IOException("no join token: set MM_JOIN_TOKEN or --join-token-file (a control plane on the "
                        + "same MM_HOME writes MM_HOME/join-token)");
            }
            reply = api.register(new NodeRegistration(nodeId, url, serving), token);
            session.joined(reply.sessionToken());
        }
        if (!reply.known()) {
            registered = false;
            session.lost();
            return;
        }
        if (!registered) {
            LOG.log(Level.INFO, "node {0} joined {1} as {2}", nodeId, api.base(), url);
        }
        registered = true;
        if (reply.credentialsVersion() != null && !reply.credentialsVersion().equals(credentials.version())) {
            credentials.update(api.credentials());
        }
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
