package io.modelmesh.dataplane.reliability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DrainTest {
    @Test
    void afterTheStartNothingEntersAndTheWaitEndsWithTheLastRequest() throws Exception {
        Drain d = new Drain();
        assertTrue(d.tryEnter());
        assertTrue(d.tryEnter());
        d.start();
        assertFalse(d.tryEnter(), "no new request once draining");
        assertEquals(2, d.inFlight());
        CompletableFuture<Boolean> idle = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                idle.complete(d.await(Duration.ofMinutes(1)));
            } catch (InterruptedException e) {
                idle.completeExceptionally(e);
            }
        });
        d.exit();
        await().during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(5)).until(() -> !idle.isDone());
        d.exit();
        assertTrue(idle.get(10, TimeUnit.SECONDS));
    }

    @Test
    void theWaitIsBounded() throws Exception {
        Drain d = new Drain();
        assertTrue(d.tryEnter());
        d.start();
        assertFalse(d.await(Duration.ofMillis(30)), "a request that never ends does not hold the stop forever");
        assertTrue(new Drain().await(Duration.ZERO), "idle from the start");
    }
}
