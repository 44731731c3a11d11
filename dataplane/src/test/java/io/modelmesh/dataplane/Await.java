package io.modelmesh.dataplane;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (fails the test on timeout); never a fixed sleep. */
public final class Await {
    private Await() {
    }

    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(condition::getAsBoolean);
    }
}
