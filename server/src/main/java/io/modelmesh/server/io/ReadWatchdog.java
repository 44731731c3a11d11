package io.modelmesh.server.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A read timeout for request bodies. Helidon 4.1 applies no socket read timeout once a request's headers are in, so a
 * client that announces a body and then sends nothing would hold its handler forever. Request threads are virtual, and
 * a virtual thread blocked in a socket read is released by an interrupt (the JDK closes the socket): a guarded stream
 * notes when each read starts, and one watchdog thread interrupts every read that has waited longer than the timeout.
 * The read then fails with a {@link SocketTimeoutException} and the connection is gone. A read that is making progress
 * is never touched, however long the whole body takes.
 */
public final class ReadWatchdog implements AutoCloseable {
    private final Duration timeout;
    private final Set<Guarded> reading = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    private ReadWatchdog(Duration timeout) {
        this.timeout = timeout;
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        this.thread = Thread.ofPlatform().daemon().name("read-watchdog").start(() -> run(period));
    }

    /** Starts the watchdog thread; reads stalled for longer than {@code timeout} are ended. */
    public static ReadWatchdog start(Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the read timeout must be positive, got " + timeout);
        }
        return new ReadWatchdog(timeout);
    }

    public Duration timeout() {
        return timeout;
    }

    /** {@code in} with every read bounded by the timeout; close it when done. */
    public InputStream guard(InputStream in) {
        return new Guarded(in);
    }

    private void run(long periodMillis) {
        try {
            while (!stop.await(periodMillis, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                for (Guarded g : reading) {
                    g.interruptIfStalled(now, timeout.toNanos());
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        stop.countDown();
    }

    private final class Guarded extends FilterInputStream {
        private volatile long since;
        private volatile Thread reader;
        private volatile boolean timedOut;

        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            begin();
            try {
                return in.read();
            } catch (IOException e) {
                throw translated(e);
            } finally {
                end();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            begin();
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw translated(e);
            } finally {
                end();
            }
        }

        private void begin() throws SocketTimeoutException {
            if (timedOut) {
                throw stalled();
            }
            reader = Thread.currentThread();
            since = System.nanoTime();
            reading.add(this);
        }

        private void end() {
            since = 0;
            reading.remove(this);
            if (timedOut) {
                Thread.interrupted(); // the interrupt was ours and has done its work: the socket is closed
            }
        }

        void interruptIfStalled(long now, long limitNanos) {
            long s = since;
            Thread t = reader;
            if (s != 0 && t != null && now - s > limitNanos) {
                timedOut = true;
                t.interrupt();
            }
        }

        private IOException translated(IOException e) {
            return timedOut ? stalled() : e;
        }

        private SocketTimeoutException stalled() {
            return new SocketTimeoutException("no byte of the request body arrived for " + timeout.toSeconds()
                    + " s (the read timeout); the connection was closed");
        }

        @Override
        public void close() throws IOException {
            reading.remove(this);
            super.close();
        }
    }
}
