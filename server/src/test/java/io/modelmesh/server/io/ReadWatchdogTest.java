package io.modelmesh.server.io;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real sockets read on virtual threads, as Helidon's handlers read them. */
class ReadWatchdogTest {

    @Test
    void aReadThatStallsPastTheTimeoutFailsWhileOneThatKeepsReceivingDoesNot() throws Exception {
        ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
        try (ReadWatchdog watchdog = ReadWatchdog.start(Duration.ofMillis(400));
             ServerSocket server = new ServerSocket(0);
             Socket socket = new Socket("127.0.0.1", server.getLocalPort());
             Socket accepted = server.accept()) {
            InputStream in = watchdog.guard(accepted.getInputStream());
            // a slow client: one byte every 200 ms, six bytes (1.2 s in all, three times the timeout), then silence
            AtomicInteger sent = new AtomicInteger();
            ScheduledFuture<?>[] pace = new ScheduledFuture<?>[1];
            pace[0] = client.scheduleAtFixedRate(() -> {
                try {
                    socket.getOutputStream().write('x');
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (sent.incrementAndGet() == 6) {
                    pace[0].cancel(false);
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            CompletableFuture<Throwable> reading = new CompletableFuture<>();
            AtomicInteger received = new AtomicInteger();
            AtomicLong lastByteAt = new AtomicLong();
            long start = System.nanoTime();
            Thread.ofVirtual().start(() -> {
                try {
                    while (in.read() >= 0) {
                        lastByteAt.set(System.nanoTime());
                        received.incrementAndGet();
                    }
                    reading.complete(null);
                } catch (Throwable e) {
                    reading.complete(e);
                }
            });
            Throwable failure = reading.get(10, TimeUnit.SECONDS);
            long endedAt = System.nanoTime();
            long tookMs = (endedAt - start) / 1_000_000;
            long silenceMs = (endedAt - lastByteAt.get()) / 1_000_000;
            assertEquals(6, received.get(), "every byte of the slow but steady client was read");
            assertTrue(failure instanceof SocketTimeoutException, String.valueOf(failure));
            assertTrue(failure.getMessage().startsWith("no byte of the request body arrived for"), failure.getMessage());
            // the watchdog's clock starts when a read returns, a moment before this thread notes the byte: a few ms slack
            assertTrue(silenceMs >= 400 - 20, "the stall ended it only after the timeout: " + silenceMs + " ms");
            assertTrue(tookMs < 6000, "progress kept it alive until the stall, which ended it: " + tookMs + " ms");
            assertThrows(SocketTimeoutException.class, in::read, "the stream stays failed");
        } finally {
            client.shutdownNow();
        }
    }

    @Test
    void theTimeoutMustBePositive() {
        ReadWatchdog.start(Duration.ofSeconds(1)).close();
        assertThrows(IllegalArgumentException.class, () -> ReadWatchdog.start(Duration.ZERO));
    }
}
