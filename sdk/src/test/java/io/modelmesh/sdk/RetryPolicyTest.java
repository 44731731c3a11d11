package io.modelmesh.sdk;

import io.modelmesh.api.ErrorBody;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry policy's backoff, jitter bounds, Retry-After, and what it retries at all. */
class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void theStepDoublesUpToTheCapAndJitterStaysInItsUpperHalf() {
        long[] steps = {100, 200, 400, 800, 1000, 1000};
        for (int retry = 1; retry <= steps.length; retry++) {
            long step = Duration.ofMillis(steps[retry - 1]).toNanos();
            assertEquals(step / 2, policy.delay(retry, OptionalLong.empty(), () -> 0.0).toNanos(),
                    "retry " + retry + " at its shortest");
            assertTrue(policy.delay(retry, OptionalLong.empty(), () -> 0.999_999).toNanos() <= step);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            int retry = 1 + random.nextInt(8);
            long step = Duration.ofMillis(Math.min(1000, 100L << (retry - 1))).toNanos();
            long d = policy.delay(retry, OptionalLong.empty(), random::nextDouble).toNanos();
            assertTrue(d >= step / 2 && d <= step, "retry " + retry + ": " + d + " outside [" + step / 2 + ", "
                    + step + "]");
        }
    }

    @Test
    void retryAfterRaisesTheWaitButNeverPastTheCap() {
        assertEquals(Duration.ofSeconds(1), policy.delay(1, OptionalLong.of(1), () -> 0.0));
        assertEquals(Duration.ofSeconds(1), policy.delay(1, OptionalLong.of(30), () -> 0.0), "capped");
        assertEquals(Duration.ofMillis(50), policy.delay(1, OptionalLong.of(0), () -> 0.0), "0 changes nothing");
    }

    @Test
    void attemptsAreBoundedAndNoneMeansOne() {
        assertTrue(policy.allowsAnother(5));
        assertFalse(policy.allowsAnother(6));
        assertFalse(RetryPolicy.none().allowsAnother(1));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ofSeconds(2),
                Duration.ofSeconds(1)));
    }

    @Test
    void onlyFailuresALaterTryMayNotMeetAreRetried() {
        assertEquals(RetryPolicy.Retry.ANY_NODE, RetryPolicy.classify(transport(new ConnectException("refused")),
                true));
        assertEquals(RetryPolicy.Retry.ANY_NODE, RetryPolicy.classify(transport(new IOException("reset")), false));
        assertEquals(RetryPolicy.Retry.ANY_NODE, RetryPolicy.classify(transport(
                new HttpConnectTimeoutException("connect")), true));
        assertEquals(RetryPolicy.Retry.NO, RetryPolicy.classify(transport(new HttpTimeoutException("slow")), true),
                "it may still be running");
        assertEquals(RetryPolicy.Retry.NO, RetryPolicy.classify(transport(new SSLHandshakeException("ca")), false));

        assertEquals(RetryPolicy.Retry.ANY_NODE, RetryPolicy.classify(answer(503, "shutting_down"), true));
        assertEquals(RetryPolicy.Retry.OTHER_NODE, RetryPolicy.classify(answer(429, "overloaded"), true));
        assertEquals(RetryPolicy.Retry.OTHER_NODE, RetryPolicy.classify(answer(503, "deadline_exceeded"), true));
        assertEquals(RetryPolicy.Retry.ANY_NODE, RetryPolicy.classify(answer(503, "unavailable"), false),
                "a read goes back to the control plane");
        assertEquals(RetryPolicy.Retry.ANY_NODE, RetryPolicy.classify(answer(429, "rate_limited"), false));
        for (int status : new int[]{400, 401, 403, 404, 409, 413, 422, 500}) {
            assertEquals(RetryPolicy.Retry.NO, RetryPolicy.classify(answer(status, "x"), true), "status " + status);
            assertEquals(RetryPolicy.Retry.NO, RetryPolicy.classify(answer(status, "x"), false), "status " + status);
        }
    }

    private static ModelMeshException transport(Exception cause) {
        return new ModelMeshException.UnavailableException(new ErrorBody(503, "unavailable", "no", null), cause);
    }

    private static ModelMeshException answer(int status, String code) {
        return ModelMeshException.of(new ErrorBody(status, code, "m", null));
    }
}
