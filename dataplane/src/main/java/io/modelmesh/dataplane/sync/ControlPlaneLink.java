package io.modelmesh.dataplane.sync;

import io.modelmesh.api.HeartbeatReply;
import io.modelmesh.api.NodeHeartbeat;
import io.modelmesh.api.NodeRegistration;
import io.modelmesh.api.RevisionNotice;
import io.modelmesh.dataplane.auth.NodeCredentialStore;
import io.modelmesh.dataplane.auth.NodeSession;
import io.modelmesh.dataplane.routing.ServingTable;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps the node known to its control planes: joins with the join token (getting its session), then heartbeats every
 * interval and at once after each switch of tables; a heartbeat says what the node serves (revision, identity, models
 * left behind, how far behind its outcome reports are), which is the acknowledgement the control plane waits for. The
 * answer carries the newest revision and the control plane's identity: when the node is behind, serves another
 * identity's table, or has models to retry, the {@link RoutingSync} fetches the table; when the accepted tokens
 * changed, their hashes are fetched. Runs on one virtual thread; the control plane being down only means retrying (the
 * channel's breakers keep that cheap) while the node goes on serving what it has.
 */
public final class ControlPlaneLink implements LinkView, AutoCloseable {
    private static final Logger LOG = System.getLogger(ControlPlaneLink.class.getName());

    private final String nodeId;
    private final String url;
    private final ControlPlaneApi api;
    private final RoutingApplier applier;
    private final Duration interval;
    private final NodeSession session;
    private final NodeCredentialStore credentials;
    private final Supplier<String> joinToken;
    private final LongSupplier outcomesLagMs;
    private final RoutingSync sync;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopped;
    private volatile boolean registered;
    private volatile boolean reachable;
    private Thread thread;

    /**
     * @param joinToken     the join token, read at each join (null when none is configured yet)
     * @param outcomesLagMs how long ago the node last had all its outcome reports delivered
     */
    public ControlPlaneLink(String nodeId, String url, ControlPlaneApi api, RoutingApplier applier, Duration interval,
                            NodeSession session, NodeCredentialStore credentials, Supplier<String> joinToken,
                            LongSupplier outcomesLagMs) {
        this.nodeId = nodeId;
        this.url = url;
        this.api = api;
        this.applier = applier;
        this.interval = interval;
        this.session = session;
        this.credentials = credentials;
        this.joinToken = joinToken;
        this.outcomesLagMs = outcomesLagMs;
        this.sync = new RoutingSync(nodeId, api, applier, this::heartbeatNow);
    }

    public void start() {
        sync.start();
        thread = Thread.ofVirtual().name("cp-link-" + nodeId).start(this::run);
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public java.net.URI controlPlane() {
        return api.base();
    }

    /** Fetches the table if the notice names one to move to, or if models are left to retry. Returns at once. */
    @Override
    public void noticed(RevisionNotice notice) {
        if (TableOrder.worthFetching(applier.current().table(), notice.clusterId(), notice.epoch(), notice.revision())
                || applier.incomplete()) {
            sync.request();
        }
    }

    /** Sends a heartbeat now (the acknowledgement of a switch) instead of at the next interval. */
    void heartbeatNow() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void run() {
        boolean warned = false;
        while (!stopped) {
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
            try {
                if (wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One exchange: join or heartbeat, then catch up on credentials and the routing table when needed. */
    void tick() throws Exception {
        ServingTable serving = applier.current();
        HeartbeatReply reply;
        if (registered) {
            reply = api.heartbeat(new NodeHeartbeat(nodeId, serving.revision(), serving.table().clusterId(),
                    serving.table().epoch(), serving.failed(), outcomesLagMs.getAsLong()));
        } else {
            String token = joinToken.get();
            if (token == null) {
                throw new IOException("no join token: set MM_JOIN_TOKEN or --join-token-file (a control plane on the "
                        + "same MM_HOME writes MM_HOME/join-token)");
            }
            reply = api.register(new NodeRegistration(nodeId, url, serving.revision(), serving.table().clusterId(),
                    serving.table().epoch()), token);
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
        if (TableOrder.worthFetching(serving.table(), reply.clusterId(), reply.epoch(), reply.latestRevision())
                || applier.incomplete()) {
            sync.request(); // behind, another identity, or models left behind to retry (or a restored table)
        } else {
            applier.markSynced();
        }
    }

    @Override
    public void close() {
        stopped = true;
        sync.close();
        if (thread != null) {
            thread.interrupt();
        }
    }
}
