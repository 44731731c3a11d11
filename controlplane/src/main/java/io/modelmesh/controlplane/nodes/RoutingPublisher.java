package io.modelmesh.controlplane.nodes;

import io.modelmesh.api.RevisionNotice;
import io.modelmesh.controlplane.cluster.ClusterIdentity;
import io.modelmesh.controlplane.metrics.ControlPlaneMetrics;
import io.modelmesh.controlplane.store.NodeRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Publishes a routing revision in two phases. First every live node gets a small signed notice ("revision N exists",
 * {@link RevisionNotifier}), which it answers at once; each node then fetches its table ({@code GET
 * /nodes/{id}/routing}), prepares it off its intake path and acknowledges what it serves with its next heartbeat,
 * recorded in PostgreSQL. A caller that wants the acknowledgements (a deploy) then waits for those rows
 * ({@link AckWaiter}), bounded by the push timeout; no control-plane thread ever waits on a download.
 */
public final class RoutingPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RoutingPublisher.class.getName());

    private final RevisionNotifier notifier;
    private final AckWaiter acks;
    private final ControlPlaneMetrics metrics;
    private final Duration timeout;

    /** @param timeout how long a deploy waits for acknowledgements */
    public RoutingPublisher(RevisionNotifier notifier, AckWaiter acks, ControlPlaneMetrics metrics, Duration timeout) {
        this.notifier = notifier;
        this.acks = acks;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    /**
     * Notifies {@code targets} of {@code revision} and waits until each acknowledged serving it (or a later one), was
     * found unreachable, or the push timeout passed.
     */
    public PushReport publish(long revision, ClusterIdentity identity, List<NodeRecord> targets) {
        long start = System.nanoTime();
        List<RevisionNotifier.Delivery> deliveries;
        try {
            deliveries = notifier.notifyAll(notice(revision, identity), targets).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PushReport(revision, 0, targets.size(), List.of("interrupted before the nodes were notified"));
        } catch (ExecutionException e) {
            throw new IllegalStateException("notifying nodes of revision " + revision + " failed", e.getCause());
        }
        Map<String, String> noticeErrors = new HashMap<>();
        List<String> errors = new ArrayList<>();
        List<String> waitFor = new ArrayList<>();
        for (RevisionNotifier.Delivery d : deliveries) {
            if (d.unreachable()) {
                errors.add(d.error());
                metrics.push(false, seconds(start));
                continue;
            }
            if (!d.delivered()) {
                noticeErrors.put(d.node().nodeId(), d.error()); // it may still learn of the revision by heartbeat
            }
            waitFor.add(d.node().nodeId());
        }
        List<AckWaiter.Outcome> outcomes;
        try {
            outcomes = acks.await(revision, waitFor, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted while waiting for acknowledgements");
            return new PushReport(revision, 0, targets.size(), errors);
        }
        int acked = 0;
        for (AckWaiter.Outcome o : outcomes) {
            switch (o) {
                case AckWaiter.Acked a -> acked++;
                case AckWaiter.AckedWithFailures f -> errors.add(f.nodeId() + ": serves routing revision " + f.servingRevision()
                        + " without the new targets of " + f.failed().size() + " model(s), which keep their previous "
                        + "ones: " + f.failed().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("; ")));
                case AckWaiter.Pending p -> errors.add(noticeErrors.containsKey(p.nodeId())
                        ? noticeErrors.get(p.nodeId()) + "; no acknowledgement within " + timeout.toSeconds() + " s"
                        : p.nodeId() + ": no acknowledgement of revision " + revision + " within "
                        + timeout.toSeconds() + " s (serves " + p.servingRevision() + ")");
            }
            metrics.push(o instanceof AckWaiter.Acked, seconds(start));
        }
        return new PushReport(revision, acked, targets.size(), errors);
    }

    /**
     * Notifies {@code targets} of {@code revision} without waiting for anything (the rollout controller's changes:
     * nobody waits for them, and a slow node must not hold the controller).
     */
    public void publishInBackground(long revision, ClusterIdentity identity, List<NodeRecord> targets) {
        notifier.notifyAll(notice(revision, identity), targets).thenAccept(deliveries -> deliveries.stream()
                .filter(d -> !d.delivered())
                .forEach(d -> LOG.log(Level.INFO, "revision " + revision + ": " + d.error()
                        + " (nodes also learn of new revisions from their heartbeats)")));
    }

    private static RevisionNotice notice(long revision, ClusterIdentity identity) {
        return new RevisionNotice(identity.clusterId(), identity.epoch(), revision);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        notifier.close();
    }
}
