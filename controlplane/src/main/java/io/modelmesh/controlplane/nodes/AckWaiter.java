package io.modelmesh.controlplane.nodes;

import io.modelmesh.controlplane.store.NodeRecord;
import io.modelmesh.controlplane.store.NodeRepository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Waits until nodes acknowledge serving a revision, as recorded in PostgreSQL by their heartbeats: a node's heartbeat
 * may reach any control plane, so the waiter reads the {@code nodes} rows, at once when this process records an
 * acknowledgement ({@link AckSignal}) and every {@link #POLL} otherwise. No thread waits on a node; the waiting request
 * does, for at most its deadline.
 */
public final class AckWaiter {
    /** How often the rows are read again when no acknowledgement reached this process. */
    static final Duration POLL = Duration.ofMillis(100);

    private final NodeRepository nodes;
    private final AckSignal signal;
    private final LongSupplier nanoTime;

    public AckWaiter(NodeRepository nodes, AckSignal signal, LongSupplier nanoTime) {
        this.nodes = nodes;
        this.signal = signal;
        this.nanoTime = nanoTime;
    }

    /** One node's answer: acknowledged in full, acknowledged with models left behind, or none yet. */
    public sealed interface Outcome {
        String nodeId();
    }

    public record Acked(String nodeId) implements Outcome {
    }

    /** The node serves the revision, except these models, which keep their previous targets. */
    public record AckedWithFailures(String nodeId, long servingRevision, Map<String, String> failed)
            implements Outcome {
    }

    public record Pending(String nodeId, long servingRevision) implements Outcome {
    }

    /**
     * Waits until every node in {@code nodeIds} serves {@code revision} or a later one, or {@code timeout} passes.
     *
     * @return one outcome per node, in the order given
     */
    public List<Outcome> await(long revision, List<String> nodeIds, Duration timeout) throws InterruptedException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        while (true) {
            long seen = signal.generation();
            List<Outcome> outcomes = read(revision, nodeIds);
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0 || outcomes.stream().noneMatch(o -> o instanceof Pending)) {
                return outcomes;
            }
            signal.await(seen, Math.min(left, POLL.toNanos()));
        }
    }

    private List<Outcome> read(long revision, List<String> nodeIds) {
        Map<String, NodeRecord> rows = new LinkedHashMap<>();
        for (NodeRecord n : nodes.find(nodeIds)) {
            rows.put(n.nodeId(), n);
        }
        List<Outcome> out = new ArrayList<>();
        for (String id : nodeIds) {
            NodeRecord n = rows.get(id);
            if (n == null || n.servingRevision() < revision) {
                out.add(new Pending(id, n == null ? 0 : n.servingRevision()));
            } else if (n.failed().isEmpty()) {
                out.add(new Acked(id));
            } else {
                out.add(new AckedWithFailures(id, n.servingRevision(), n.failed()));
            }
        }
        return out;
    }
}
