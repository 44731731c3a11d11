package io.modelmesh.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Resident set size of a process from {@code /proc/PID/status} ({@code VmRSS}), once or sampled periodically.
 * Standalone: {@code Rss --pid PID [--interval 200ms] [--duration 30s]} prints {@code epoch_ms rss_kb} per sample and
 * {@code RSS_RESULT samples=N peak_kb=K last_kb=L} at the end.
 */
public final class Rss {
    private Rss() {
    }

    /** The {@code VmRSS} value in kB from the text of a {@code /proc/PID/status} file. */
    static OptionalLong parseVmRssKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                try {
                    long value = Long.parseLong(parts[0]);
                    boolean kb = parts.length < 2 || parts[1].equalsIgnoreCase("kB");
                    return kb ? OptionalLong.of(value) : OptionalLong.empty();
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Current VmRSS of {@code pid} in kB; empty when the process is gone (or not on Linux). */
    static OptionalLong readKb(long pid) {
        try {
            return parseVmRssKb(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Samples a process on a daemon thread until closed, keeping the peak. */
    static final class Sampler implements AutoCloseable {
        private final AtomicLong peakKb = new AtomicLong(-1);
        private final AtomicLong lastKb = new AtomicLong(-1);
        private final AtomicLong samples = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        private Sampler(long pid, Duration interval, boolean print) {
            thread = Thread.ofPlatform().daemon().name("rss-sampler").unstarted(() -> {
                while (running) {
                    OptionalLong kb = readKb(pid);
                    if (kb.isPresent()) {
                        samples.incrementAndGet();
                        lastKb.set(kb.getAsLong());
                        peakKb.accumulateAndGet(kb.getAsLong(), Math::max);
                        if (print) {
                            System.out.println(System.currentTimeMillis() + " " + kb.getAsLong());
                        }
                    }
                    LockSupport.parkNanos(interval.toNanos());
                }
            });
        }

        static Sampler start(long pid, Duration interval, boolean print) {
            Sampler s = new Sampler(pid, interval, print);
            s.thread.start();
            return s;
        }

        /** Highest VmRSS seen in kB, or -1 before the first sample. */
        long peakKb() {
            return peakKb.get();
        }

        long lastKb() {
            return lastKb.get();
        }

        long samples() {
            return samples.get();
        }

        @Override
        public void close() {
            running = false;
            LockSupport.unpark(thread);
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        long pid = -1;
        Duration interval = Duration.ofMillis(200);
        Duration duration = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--pid" -> pid = Long.parseLong(args[i + 1]);
                case "--interval" -> interval = Options.parseDuration("--interval", args[i + 1]);
                case "--duration" -> duration = Options.parseDuration("--duration", args[i + 1]);
                default -> {
                    System.err.println("usage: Rss --pid PID [--interval 200ms] [--duration 30s]");
                    System.exit(2);
                }
            }
        }
        if (pid < 1 || readKb(pid).isEmpty()) {
            System.err.println("Rss: no readable /proc/" + pid + "/status with VmRSS; usage: Rss --pid PID");
            System.exit(2);
        }
        long pidToWatch = pid;
        try (Sampler s = Sampler.start(pid, interval, true)) {
            long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end && readKb(pidToWatch).isPresent()) {
                Thread.sleep(Math.min(interval.toMillis(), 100));
            }
            System.out.println("RSS_RESULT samples=" + s.samples() + " peak_kb=" + s.peakKb() + " last_kb="
                    + s.lastKb());
        }
    }
}
