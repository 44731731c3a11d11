package io.modelmesh.cli.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops the processes named by pid files: SIGTERM, up to {@code grace} for them to exit, then SIGKILL. Data-plane nodes
 * go first (together), the control plane last, so nodes do not spend their shutdown failing to reach it.
 */
public final class Stopper {
    /**
     * What happened to one pid file.
     *
     * @param how {@code stopped} (exited after SIGTERM), {@code killed} (SIGKILL after the grace period) or
     *            {@code not running} (stale pid file, removed)
     */
    public record Stopped(String name, long pid, String how) {
        public boolean wasRunning() {
            return !NOT_RUNNING.equals(how);
        }
    }

    public static final String STOPPED = "stopped";
    public static final String KILLED = "killed";
    public static final String NOT_RUNNING = "not running";

    private Stopper() {
    }

    /**
     * Stops the nodes first (they drain while a control plane still answers), then the extra control planes of
     * {@code up --control-planes N}, then the first control plane last: it runs the embedded PostgreSQL the others use.
     */
    public static List<Stopped> stop(List<PidFile> files, Duration grace) {
        List<PidFile> nodes = files.stream().filter(f -> ServerSpec.controlPlaneIndex(f.name()) == 0).toList();
        List<PidFile> others = files.stream().filter(f -> ServerSpec.controlPlaneIndex(f.name()) > 1).toList();
        List<PidFile> controlPlane = files.stream().filter(f -> ServerSpec.controlPlaneIndex(f.name()) == 1).toList();
        List<Stopped> result = new ArrayList<>(stopTogether(nodes, grace));
        result.addAll(stopTogether(others, grace));
        result.addAll(stopTogether(controlPlane, grace));
        return result;
    }

    private static List<Stopped> stopTogether(List<PidFile> files, Duration grace) {
        List<Optional<ProcessHandle>> handles = files.stream().map(PidFile::process).toList();
        handles.forEach(h -> h.ifPresent(ProcessHandle::destroy));
        long deadline = System.nanoTime() + grace.toNanos();
        List<Stopped> result = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            PidFile f = files.get(i);
            String how = handles.get(i).map(h -> awaitOrKill(h, deadline)).orElse(NOT_RUNNING);
            f.delete();
            result.add(new Stopped(f.name(), f.pid(), how));
        }
        return result;
    }

    private static String awaitOrKill(ProcessHandle h, long deadlineNanos) {
        if (await(h.onExit(), Math.max(0, deadlineNanos - System.nanoTime()))) {
            return STOPPED;
        }
        h.destroyForcibly();
        await(h.onExit(), TimeUnit.SECONDS.toNanos(5));
        return KILLED;
    }

    private static boolean await(CompletableFuture<ProcessHandle> exit, long nanos) {
        try {
            exit.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
