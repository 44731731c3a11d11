package io.modelmesh.sdk;

import io.modelmesh.api.PowerOfTwoChoices;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeBalancerTest {
    private static final List<URI> THREE = List.of(URI.create("http://a"), URI.create("http://b"),
            URI.create("http://c"));
    private final AtomicLong clock = new AtomicLong();

    @Test
    void powerOfTwoChoicesTakesTheLessLoadedOfItsTwoDraws() {
        int[] loads = {5, 1, 9};
        // draws (0, then 1 of the remaining 2 -> index 2): compares 5 and 9
        assertEquals(0, PowerOfTwoChoices.pick(3, k -> loads[k], seq(0, 1)));
        // draws 2 and 0 -> compares 9 and 5
        assertEquals(0, PowerOfTwoChoices.pick(3, k -> loads[k], seq(2, 0)));
        // draws 1 and 1 -> the second is shifted past the first: compares 1 and 9
        assertEquals(1, PowerOfTwoChoices.pick(3, k -> loads[k], seq(1, 1)));
        assertEquals(-1, PowerOfTwoChoices.pick(1, k -> -1, seq(0)), "the only candidate is unusable");
    }

    @Test
    void loadShiftsAwayFromANodeWithRequestsOutstanding() {
        NodeBalancer b = new NodeBalancer(THREE, clock::get, new Random(7)::nextInt);
        NodeBalancer.Node slow = b.acquire(null);
        for (int i = 0; i < 20; i++) {
            slow.outstanding.incrementAndGet(); // the slow node holds 21 requests that have not come back
        }
        Map<URI, Integer> picks = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            NodeBalancer.Node n = b.acquire(null);
            picks.merge(n.uri, 1, Integer::sum);
            n.release();
        }
        // every pair of draws holds at least one idle node, so the loaded one is never taken
        assertNull(picks.get(slow.uri), picks.toString());
        picks.values().forEach(count -> assertTrue(count > 1200, "the idle nodes share the load: " + picks));
    }

    @Test
    void anUnreachableNodeIsLeftOutUntilItsCoolDownEnds() {
        NodeBalancer b = new NodeBalancer(THREE, clock::get, new Random(1)::nextInt);
        NodeBalancer.Node down = b.acquire(null);
        down.release();
        b.markDown(down);
        for (int i = 0; i < 500; i++) {
            NodeBalancer.Node n = b.acquire(null);
            assertNotEquals(down.uri, n.uri);
            n.release();
        }
        clock.addAndGet(NodeBalancer.COOL_DOWN.toNanos() + 1);
        boolean back = false;
        for (int i = 0; i < 500 && !back; i++) {
            NodeBalancer.Node n = b.acquire(null);
            back = n.uri.equals(down.uri);
            n.release();
        }
        assertTrue(back, "tried again after the cool-down");
    }

    @Test
    void aClockFarFromZeroChangesNothing() {
        for (long start : new long[]{5_000_000_000_000L, -5_000_000_000_000L, Long.MAX_VALUE - 1_000}) {
            clock.set(start); // System.nanoTime() may be anything; only differences mean something
            NodeBalancer b = new NodeBalancer(THREE, clock::get, new Random(3)::nextInt);
            Map<URI, Integer> picks = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                NodeBalancer.Node n = b.acquire(null);
                picks.merge(n.uri, 1, Integer::sum);
                n.release();
            }
            assertEquals(3, picks.size(), "every node is used from the start: " + picks);
            NodeBalancer.Node down = b.acquire(null);
            down.release();
            b.markDown(down);
            for (int i = 0; i < 50; i++) {
                NodeBalancer.Node n = b.acquire(null);
                assertNotEquals(down.uri, n.uri, "a node cooling down is left out");
                n.release();
            }
        }
    }

    @Test
    void whenEveryNodeIsDownTheFirstToRecoverIsTried() {
        NodeBalancer b = new NodeBalancer(THREE.subList(0, 2), clock::get, new Random(3)::nextInt);
        NodeBalancer.Node first = b.acquire(null);
        first.release();
        b.markDown(first);
        clock.addAndGet(1_000);
        NodeBalancer.Node second = b.acquire(first);
        second.release();
        b.markDown(second);
        assertSame(first, b.acquire(null), "both cooling down: the one whose cool-down ends first");
    }

    /** A random source that returns the given values in turn. */
    private static java.util.function.IntUnaryOperator seq(int... values) {
        int[] i = {0};
        return bound -> values[i[0]++];
    }
}
