package io.modelmesh.dataplane.batching;

import io.modelmesh.engine.FloatBatch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batching decisions on a hand-advanced clock: no threads, no sleeps. */
class BatchAssemblerTest {
    private static final long MS = 1_000_000L;

    private static Pending req(int rows, int cols, long at) {
        return new Pending(new FloatBatch(new float[rows * cols], rows, cols), at);
    }

    private static BatchAssembler assembler(int maxBatch, long maxLatency, int capacity) {
        return new BatchAssembler(new BatchPolicy(maxBatch, maxLatency, capacity));
    }

    @Test
    void partialBatchFlushesExactlyAtTheDeadlineAndNotBefore() {
        BatchAssembler a = assembler(8, 5 * MS, 64);
        assertTrue(a.offer(req(1, 3, 100)));
        assertFalse(a.ready(100));
        assertEquals(5 * MS, a.remainingNanos(100));
        assertTrue(a.offer(req(2, 3, 100 + 2 * MS)));
        // The second request does not restart the delay: the deadline stays the first request's.
        assertEquals(3 * MS, a.remainingNanos(100 + 2 * MS));
        assertFalse(a.ready(100 + 5 * MS - 1));
        assertEquals(1, a.remainingNanos(100 + 5 * MS - 1));
        assertTrue(a.ready(100 + 5 * MS));
        assertEquals(0, a.remainingNanos(100 + 5 * MS));

        List<Pending> batch = new ArrayList<>();
        assertEquals(3, a.take(batch));
        assertEquals(2, batch.size());
        assertTrue(a.isEmpty());
        assertEquals(0, a.queuedRows());
    }

    @Test
    void fullBatchIsReadyWithoutWaiting() {
        BatchAssembler a = assembler(4, 1_000 * MS, 64);
        a.offer(req(1, 2, 0));
        a.offer(req(3, 2, 0));
        assertTrue(a.ready(0));
        assertEquals(0, a.remainingNanos(0));
        List<Pending> batch = new ArrayList<>();
        assertEquals(4, a.take(batch));
        assertEquals(2, batch.size());
    }

    @Test
    void batchThatTheNextRequestCannotJoinRunsAtOnceAndTheRestFormsTheNextBatch() {
        BatchAssembler a = assembler(4, 1_000 * MS, 64);
        Pending first = req(3, 2, 0);
        Pending second = req(2, 2, 10);
        Pending third = req(1, 2, 20);
        a.offer(first);
        assertFalse(a.ready(0));
        a.offer(second); // 3 + 2 > 4: the head's batch cannot grow any more
        a.offer(third);
        assertTrue(a.ready(0));
        List<Pending> batch = new ArrayList<>();
        assertEquals(3, a.take(batch));
        assertEquals(List.of(first), batch);
        // second and third (3 rows) now form a batch that may still grow, from second's enqueue time
        assertFalse(a.ready(20));
        assertEquals(1_000 * MS - 10, a.remainingNanos(20));
        assertEquals(3, a.queuedRows());
        assertTrue(a.ready(10 + 1_000 * MS));
        assertEquals(3, a.take(batch));
        assertEquals(List.of(second, third), batch);
    }

    @Test
    void oversizedRequestRunsAloneAndUnsplit() {
        BatchAssembler a = assembler(4, 1_000 * MS, 64);
        Pending big = req(10, 1, 0);
        a.offer(big);
        a.offer(req(1, 1, 0));
        assertTrue(a.ready(0));
        List<Pending> batch = new ArrayList<>();
        assertEquals(10, a.take(batch));
        assertEquals(List.of(big), batch);
        assertEquals(1, a.queuedRows());
    }

    @Test
    void differentRowWidthsAreNeverMerged() {
        BatchAssembler a = assembler(8, 1_000 * MS, 64);
        Pending narrow = req(1, 2, 0);
        Pending wide = req(1, 3, 0);
        Pending narrowAgain = req(1, 2, 0);
        a.offer(narrow);
        a.offer(wide);
        a.offer(narrowAgain);
        assertTrue(a.ready(0), "the head's batch cannot grow past a request of another width");
        List<Pending> batch = new ArrayList<>();
        assertEquals(1, a.take(batch));
        assertEquals(List.of(narrow), batch);
        assertTrue(a.ready(0));
        a.take(batch);
        assertEquals(List.of(wide), batch);
        assertFalse(a.ready(0), "the last one waits for company again");
        a.take(batch);
        assertEquals(List.of(narrowAgain), batch);
    }

    @Test
    void fullQueueRefusesButAnEmptyQueueTakesAnySize() {
        BatchAssembler a = assembler(4, MS, 8);
        assertTrue(a.offer(req(4, 1, 0)));
        assertTrue(a.offer(req(4, 1, 0)));
        assertFalse(a.offer(req(1, 1, 0)));
        assertEquals(8, a.queuedRows());

        BatchAssembler empty = assembler(4, MS, 8);
        assertTrue(empty.offer(req(20, 1, 0)));
        assertFalse(empty.offer(req(1, 1, 0)));
    }

    @Test
    void zeroLatencyRunsWhateverIsQueued() {
        BatchAssembler a = assembler(8, 0, 64);
        a.offer(req(1, 1, 5));
        a.offer(req(1, 1, 5));
        assertTrue(a.ready(5));
        List<Pending> batch = new ArrayList<>();
        assertEquals(2, a.take(batch));
    }

    @Test
    void newPolicyReformsTheFormingBatch() {
        BatchAssembler a = assembler(8, 1_000 * MS, 64);
        Pending first = req(2, 1, 0);
        a.offer(first);
        a.offer(req(2, 1, 0));
        assertFalse(a.ready(0));
        a.configure(new BatchPolicy(2, 1_000 * MS, 64)); // a smaller batch: the head is now full on its own
        assertTrue(a.ready(0));
        List<Pending> batch = new ArrayList<>();
        assertEquals(2, a.take(batch));
        assertSame(first, batch.get(0));

        a.configure(new BatchPolicy(8, 3 * MS, 64)); // a shorter delay applies to what is already queued
        assertEquals(3 * MS - MS, a.remainingNanos(MS));
        assertTrue(a.ready(3 * MS));
    }

    @Test
    void deadlineArithmeticSurvivesNanoTimeWrapAround() {
        BatchAssembler a = assembler(8, 10, 64);
        long start = Long.MAX_VALUE - 3;
        a.offer(req(1, 1, start));
        assertFalse(a.ready(start + 9)); // overflows to negative, still 9 ns later
        assertTrue(a.ready(start + 10));
    }

    @Test
    void emptyQueueIsNeverReadyAndTakesNothing() {
        BatchAssembler a = assembler(8, 0, 64);
        assertFalse(a.ready(0));
        List<Pending> batch = new ArrayList<>(List.of(req(1, 1, 0)));
        assertEquals(0, a.take(batch));
        assertTrue(batch.isEmpty());
    }
}
