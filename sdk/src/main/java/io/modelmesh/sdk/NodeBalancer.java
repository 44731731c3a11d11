package io.modelmesh.sdk;

import io.modelmesh.api.PowerOfTwoChoices;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * Spreads predictions over data-plane nodes: power of two choices on the requests each node has outstanding from this
 * client, skipping a node for a cool-down after it could not be reached. A client's own outstanding count is the load
 * signal it has for free, and it reacts within one request to a node that slows down (its requests pile up).
 */
final class NodeBalancer {
    /** How long a node that refused a connection is left out before it is tried again. */
    static final Duration COOL_DOWN = Duration.ofSeconds(2);

    private final List<Node> nodes;
    private final LongSupplier nanoTime;
    private final IntUnaryOperator random;

    NodeBalancer(List<URI> uris, LongSupplier nanoTime, IntUnaryOperator random) {
        if (uris.isEmpty()) {
            throw new IllegalArgumentException("no data-plane nodes");
        }
        long now = nanoTime.getAsLong();
        this.nodes = uris.stream().map(u -> new Node(u, now)).toList();
        this.nanoTime = nanoTime;
        this.random = random;
    }

    /** One node and what this client knows of it. */
    static final class Node {
        final URI uri;
        final AtomicInteger outstanding = new AtomicInteger();
        /**
         * Until when (on the balancer's clock) the node sits out; compared by difference, so it starts at the clock's
         * value when the balancer is made, never at an extreme that the difference would overflow.
         */
        volatile long downUntil;

        Node(URI uri, long now) {
            this.uri = uri;
            this.downUntil = now;
        }

        /** Ends a request {@link #acquire} began. */
        void release() {
            outstanding.decrementAndGet();
        }
    }

    List<URI> uris() {
        return nodes.stream().map(n -> n.uri).toList();
    }

    /**
     * Picks a node and counts the request as outstanding on it; the caller {@link Node#release releases} it. When
     * every node is cooling down, the one whose cool-down ends first is tried rather than failing without trying.
     *
     * @param avoid a node not to pick (the one that just failed), or null
     */
    Node acquire(Node avoid) {
        long now = nanoTime.getAsLong();
        int i = PowerOfTwoChoices.pick(nodes.size(), k -> {
            Node n = nodes.get(k);
            return n == avoid || n.downUntil - now > 0 ? -1 : n.outstanding.get();
        }, random);
        Node chosen = i >= 0 ? nodes.get(i) : firstToRecover(avoid, now);
        chosen.outstanding.incrementAndGet();
        return chosen;
    }

    /** The node could not be reached: leave it out for {@link #COOL_DOWN}. */
    void markDown(Node node) {
        node.downUntil = nanoTime.getAsLong() + COOL_DOWN.toNanos();
    }

    private Node firstToRecover(Node avoid, long now) {
        Node best = null;
        for (Node n : nodes) {
            if (n != avoid && n.downUntil - now <= 0) {
                return n; // usable, only the two random draws missed it
            }
            if (n != avoid && (best == null || n.downUntil - best.downUntil < 0)) {
                best = n;
            }
        }
        return best != null ? best : avoid;
    }
}
