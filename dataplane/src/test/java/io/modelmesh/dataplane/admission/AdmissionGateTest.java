package io.modelmesh.dataplane.admission;

import io.modelmesh.dataplane.admission.AdmissionGate.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Turns, the bounded queue, deadlines and arrival order, with real threads and no sleeps. */
class AdmissionGateTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long FAR = TimeUnit.MINUTES.toNanos(5);

    private static AdmissionGate gate(int concurrency, int queue) {
        return new AdmissionGate(new AdmissionLimits(concurrency, queue, Duration.ofSeconds(5)), System::nanoTime);
    }

    private static CompletableFuture<Verdict> enterLater(AdmissionGate gate, long deadline) {
        CompletableFuture<Verdict> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> f.complete(gate.enter(deadline)));
        return f;
    }

    @Test
    void aFullGateQueuesThenRefusesAtOnceWhenTheQueueIsFull() throws Exception {
        AdmissionGate g = gate(1, 1);
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
        assertEquals(1, g.running());
        CompletableFuture<Verdict> second = enterLater(g, System.nanoTime() + FAR);
        await().atMost(WAIT).until(() -> g.waiting() == 1);
        assertFalse(second.isDone(), "it waits for a turn");

        long before = System.nanoTime();
        assertEquals(Verdict.QUEUE_FULL, g.enter(System.nanoTime() + FAR));
        assertTrue(System.nanoTime() - before < TimeUnit.SECONDS.toNanos(1), "refused at once, not after waiting");

        g.exit(1_000);
        assertEquals(Verdict.ADMITTED, second.get(10, TimeUnit.SECONDS), "the freed turn goes to the one waiting");
        assertEquals(1, g.running());
        g.exit(1_000);
        assertEquals(0, g.running());
    }

    @Test
    void aDeadlineEndsTheWaitAndOneAlreadyPassedIsNotQueued() throws Exception {
        AdmissionGate g = gate(1, 8);
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
        long start = System.nanoTime();
        assertEquals(Verdict.DEADLINE_PASSED, g.enter(start + TimeUnit.MILLISECONDS.toNanos(50)));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "waited until the deadline");
        assertEquals(Verdict.DEADLINE_PASSED, g.enter(System.nanoTime() - 1), "already late: refused at once");
        assertEquals(0, g.waiting());
        g.exit(1_000);
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() - 1), "a free turn is taken even when late");
    }

    @Test
    void turnsGoInArrivalOrder() throws Exception {
        AdmissionGate g = gate(1, 16);
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<?>[] waiting = new CompletableFuture<?>[5];
        for (int i = 0; i < waiting.length; i++) {
            String name = "r" + i;
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                if (g.enter(System.nanoTime() + FAR) == Verdict.ADMITTED) {
                    order.add(name);
                    g.exit(1_000);
                }
                done.complete(null);
            });
            waiting[i] = done;
            int expected = i + 1;
            await().atMost(WAIT).until(() -> g.waiting() == expected); // queued one after the other
        }
        g.exit(1_000);
        CompletableFuture.allOf(waiting).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), order);
    }

    @Test
    void aRequestWhoseTurnWouldComeAfterItsDeadlineIsRefusedAtOnce() throws Exception {
        AdmissionGate g = gate(1, 100);
        long turn = TimeUnit.MILLISECONDS.toNanos(200);
        for (int i = 0; i < AdmissionGate.MIN_SAMPLES; i++) {
            assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
            g.exit(turn);
        }
        assertEquals(turn, g.meanTurnNanos());
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
        long start = System.nanoTime();
        assertEquals(Verdict.WAIT_EXCEEDS_DEADLINE, g.enter(start + TimeUnit.MILLISECONDS.toNanos(100)));
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100), "refused without waiting");
        CompletableFuture<Verdict> patient = enterLater(g, System.nanoTime() + FAR);
        await().atMost(WAIT).until(() -> g.waiting() == 1);
        g.exit(turn);
        assertEquals(Verdict.ADMITTED, patient.get(10, TimeUnit.SECONDS), "one with time enough waits its turn");
    }

    @Test
    void newLimitsApplyInPlace() throws Exception {
        AdmissionGate g = gate(1, 4);
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
        CompletableFuture<Verdict> second = enterLater(g, System.nanoTime() + FAR);
        await().atMost(WAIT).until(() -> g.waiting() == 1);
        g.configure(new AdmissionLimits(2, 4, Duration.ofSeconds(5)));
        assertEquals(Verdict.ADMITTED, second.get(10, TimeUnit.SECONDS), "a higher limit frees a turn at once");
        assertEquals(2, g.running());

        g.configure(new AdmissionLimits(1, 4, Duration.ofSeconds(5)));
        g.exit(1_000);
        assertEquals(Verdict.DEADLINE_PASSED, g.enter(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)),
                "a lower limit holds back new turns while the running ones finish");
        g.exit(1_000);
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
        assertEquals(1, g.running());
    }

    /** A gate whose turns have lasted {@code turnNanos} (enough of them to be trusted), spinning up to spinNanos. */
    private static AdmissionGate trained(int concurrency, long turnNanos, long spinNanos, int maxSpins) {
        AdmissionGate g = new AdmissionGate(new AdmissionLimits(concurrency, 16, Duration.ofSeconds(30)),
                System::nanoTime, spinNanos, maxSpins);
        for (int i = 0; i < AdmissionGate.MIN_SAMPLES; i++) {
            assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
            g.exit(turnNanos);
        }
        return g;
    }

    @Test
    void aShortExpectedWaitSpinsForTheTurnInsteadOfParking() throws Exception {
        // turns of 1 s against a spin limit of 2 s: the waiter spins up to 2 s, ample time to free the turn
        AdmissionGate g = trained(1, TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(2), Integer.MAX_VALUE);
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
        CompletableFuture<Verdict> waiter = enterLater(g, System.nanoTime() + FAR);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> g.waiting() == 1);
        g.exit(1_000);
        assertEquals(Verdict.ADMITTED, waiter.get(10, TimeUnit.SECONDS));
        assertEquals(1, g.spunTurns(), "the turn was taken while spinning");
        assertEquals(1, g.running());
    }

    @Test
    void aLongExpectedWaitParksAndASpinThatRunsOutParksToo() throws Exception {
        // turns of 1 s against a spin limit of 1 ms: the waiter parks at once
        AdmissionGate slow = trained(1, TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1), 1_000);
        assertEquals(Verdict.ADMITTED, slow.enter(System.nanoTime() + FAR));
        CompletableFuture<Verdict> parked = enterLater(slow, System.nanoTime() + FAR);
        await().atMost(WAIT).until(() -> slow.waiting() == 1);
        slow.exit(1_000);
        assertEquals(Verdict.ADMITTED, parked.get(10, TimeUnit.SECONDS));
        assertEquals(0, slow.spunTurns());

        // a spin capped at 16 iterations ends long before the turn is freed: the waiter parks and still gets it
        AdmissionGate capped = trained(1, 1_000, TimeUnit.SECONDS.toNanos(2), 16);
        assertEquals(Verdict.ADMITTED, capped.enter(System.nanoTime() + FAR));
        CompletableFuture<Verdict> late = enterLater(capped, System.nanoTime() + FAR);
        await().atMost(WAIT).until(() -> capped.waiting() == 1);
        await().during(Duration.ofMillis(50)).atMost(WAIT).until(() -> !late.isDone());
        capped.exit(1_000);
        assertEquals(Verdict.ADMITTED, late.get(10, TimeUnit.SECONDS));
        assertEquals(0, capped.spunTurns());
    }

    @Test
    void mostlyShortTurnsRaiseADerivedLimitAndMostlyLongOnesLowerItAgain() {
        AdmissionGate g = new AdmissionGate(new AdmissionLimits(1, 16, Duration.ofSeconds(30), 3), System::nanoTime);
        long shortTurn = AdmissionGate.SHORT_TURN_NANOS / 5;
        long longTurn = TimeUnit.MILLISECONDS.toNanos(5);
        int turns = 0;
        while (g.concurrency() == 1) {
            assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
            g.exit(shortTurn);
            assertTrue(++turns < 200, "short turns raise the limit");
        }
        assertTrue(turns > AdmissionGate.MIN_SAMPLES, "not before enough turns were seen: " + turns);
        assertEquals(3, g.concurrency(), "short turns: up to the short-turn concurrency at once");
        for (int i = 0; i < 3; i++) {
            assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() - 1), "turn " + i + " is free at once");
        }
        assertEquals(3, g.running());
        assertEquals(Verdict.DEADLINE_PASSED, g.enter(System.nanoTime() - 1), "a fourth is not");
        g.exit(longTurn); // one long turn (a thread the OS descheduled) does not lower it
        assertEquals(3, g.concurrency());
        assertEquals(2, g.running());

        turns = 0;
        while (g.concurrency() == 3) {
            assertTrue(g.running() > 0 || g.enter(System.nanoTime() + FAR) == Verdict.ADMITTED);
            g.exit(longTurn);
            assertTrue(++turns < 50, "long turns lower the limit again");
        }
        assertEquals(1, g.concurrency(), "mostly long turns: back to one at a time");
        assertEquals(0, g.running());
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() - 1));
        assertEquals(Verdict.DEADLINE_PASSED, g.enter(System.nanoTime() - 1), "one at a time again");
        g.exit(longTurn);
    }

    @Test
    void anExplicitLimitStaysWhateverTheTurnsLast() {
        AdmissionGate g = gate(1, 16);
        for (int i = 0; i < 2 * AdmissionGate.MIN_SAMPLES; i++) {
            assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() + FAR));
            g.exit(1_000);
        }
        assertEquals(1, g.concurrency());
        assertEquals(Verdict.ADMITTED, g.enter(System.nanoTime() - 1));
        assertEquals(Verdict.DEADLINE_PASSED, g.enter(System.nanoTime() - 1));
    }
}
