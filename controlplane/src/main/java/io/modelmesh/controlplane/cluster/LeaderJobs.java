package io.modelmesh.controlplane.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The control plane's work that must not run twice in a cluster, run by whichever process holds the controller lease:
 * one virtual thread steps the {@link Leadership} every {@code interval} and, while leading, runs each job that is due
 * with the fence its writes must carry. A job's failure is logged and the job runs again when due.
 */
public final class LeaderJobs implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LeaderJobs.class.getName());

    private record Job(String name, long everyNanos, Consumer<Fence> work, long[] lastRun) {
    }

    private final Leadership leadership;
    private final Duration interval;
    private final List<Job> jobs = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private Thread thread;

    public LeaderJobs(Leadership leadership, Duration interval) {
        this.leadership = leadership;
        this.interval = interval;
    }

    /** Adds a job run at most every {@code every} while leading (wired before {@link #start}). */
    public LeaderJobs add(String name, Duration every, Consumer<Fence> work) {
        jobs.add(new Job(name, every.toNanos(), work, new long[] {Long.MIN_VALUE}));
        return this;
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("leader-jobs").start(this::run);
        }
    }

    private void run() {
        do {
            if (leadership.step()) {
                leadership.fence().ifPresent(this::runDue);
            }
        } while (!awaitStop());
    }

    private void runDue(Fence fence) {
        long now = System.nanoTime();
        for (Job job : jobs) {
            if (job.lastRun()[0] != Long.MIN_VALUE && now - job.lastRun()[0] < job.everyNanos()) {
                continue;
            }
            job.lastRun()[0] = now;
            try {
                job.work().accept(fence);
            } catch (NotLeaderException e) {
                LOG.info(job.name() + " stopped: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "leader job " + job.name() + " failed", e);
            }
        }
    }

    private boolean awaitStop() {
        try {
            return stop.await(interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Stops the loop and gives the lease up, so another control plane takes over at once. */
    @Override
    public void close() {
        stop.countDown();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        leadership.release();
    }
}
