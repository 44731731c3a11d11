package io.modelmesh.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-loop run over a fixed pool of keep-alive connections, one thread each. A free connection's thread claims
 * the next request in schedule order, parks until that request is due and sends it; when it claims a request that is
 * already due (every connection was busy) it sends at once. No request is skipped, and latency runs from the intended
 * send time to the end of the response, so a wait for a free connection, or a stalled server, shows up as latency
 * rather than as fewer requests. This is a scheduler issuing each request at its intended time to the first free
 * connection, without a separate scheduler thread and queue hand-off (a third less CPU for the load generator, which
 * shares the machine with the servers it measures).
 */
final class LoadRun {
    /** Head start so every connection thread is waiting before the first request is due. */
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long after the last request is due the run waits for answers beyond the request timeout. */
    private static final long DRAIN_SLACK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Options options;
    private final HttpTarget target;
    private final PrintStream log;
    private final AtomicLong nextRequest = new AtomicLong();
    private final Tally tally = new Tally();

    LoadRun(Options options, PrintStream log) {
        this.options = options;
        this.target = HttpTarget.of(options.url(), options.method(), options.body(), options.headers());
        this.log = log;
    }

    Result run() throws IOException, InterruptedException {
        List<Connection> connections = openAll();
        long wallStart = System.nanoTime();
        long cpuStart = cpuNanos();
        Schedule schedule = Schedule.of(wallStart + START_DELAY_NANOS, options.rate(), options.warmup(),
                options.duration());
        log.printf("loadgen: %s %s at %.1f requests/s over %d connections: %d warm-up + %d measured requests%n",
                options.method(), options.url(), options.rate(), connections.size(), schedule.warmupCount(),
                schedule.measuredCount());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            threads.add(Thread.ofPlatform().daemon().name("loadgen-conn-" + i).start(() -> send(c, schedule)));
        }
        try (Rss.Sampler rss = options.rssPid() > 0
                ? Rss.Sampler.start(options.rssPid(), Duration.ofMillis(100), false) : null) {
            long deadline = schedule.endNanos() + options.timeout().toNanos() + DRAIN_SLACK_NANOS;
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Duration.ofNanos(left));
                }
            }
            long cpuEnd = cpuNanos();
            double cpuPercent = cpuStart < 0 || cpuEnd < 0 ? -1
                    : 100.0 * (cpuEnd - cpuStart) / Math.max(1, System.nanoTime() - wallStart);
            return result(schedule, rss == null ? -1 : rss.peakKb(), cpuPercent);
        }
    }

    private List<Connection> openAll() throws IOException {
        List<Connection> all = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            Connection c = new Connection(target, options.timeout());
            try {
                c.open();
            } catch (IOException e) {
                all.forEach(Connection::close);
                throw new IOException("cannot connect to " + target.host() + ":" + target.port() + " ("
                        + e.getMessage() + ")", e);
            }
            all.add(c);
        }
        return all;
    }

    /** One connection's thread: claim the next request, wait until it is due (not at all when late), send, record. */
    private void send(Connection c, Schedule schedule) {
        try (c) {
            long total = schedule.totalCount();
            for (long i = nextRequest.getAndIncrement(); i < total; i = nextRequest.getAndIncrement()) {
                long due = schedule.intendedNanos(i);
                long early;
                while ((early = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(early);
                }
                boolean measured = schedule.measured(i);
                if (measured) {
                    tally.sent(-early);
                }
                try {
                    int status = c.exchange();
                    long now = System.nanoTime();
                    if (measured) {
                        tally.response(status, now - due, now);
                    }
                } catch (IOException e) {
                    if (measured) {
                        tally.error(e);
                    }
                }
            }
        }
    }

    /** CPU time this process has used so far, or -1 when the platform does not say. */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    private Result result(Schedule schedule, long peakRssKb, double cpuPercent) {
        long unfinished = Math.max(0, schedule.measuredCount() - tally.responses() - tally.errors());
        long span = schedule.measuredSpanNanos();
        long last = tally.lastCompletionNanos();
        if (last != Long.MIN_VALUE) {
            span = Math.max(span, last - schedule.measuredStartNanos());
        }
        if (tally.firstError() != null) {
            log.println("loadgen: first error: " + tally.firstError());
        }
        if (tally.firstNon2xx() != null) {
            log.println("loadgen: first non-2xx answer: " + tally.firstNon2xx());
        }
        if (unfinished > 0) {
            log.println("loadgen: " + unfinished + " measured requests had no answer when the run stopped waiting");
        }
        return new Result(options.label(), options.rate(), schedule.measuredCount(), tally.responses(), span / 1e9,
                tally.percentiles(), tally.non2xx(), tally.errors(), unfinished, tally.sendLagP99Micros(), peakRssKb,
                cpuPercent);
    }
}
