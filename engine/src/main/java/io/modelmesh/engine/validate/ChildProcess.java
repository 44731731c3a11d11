package io.modelmesh.engine.validate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.engine.validate.Verdict.Reason;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One started validation child: runs exactly one job, watched against the limits. Its stdout is read for the marked
 * ready and answer lines (other output ignored, each line bounded), its stderr kept as a short tail for messages.
 */
final class ChildProcess {
    /** How often the child's resident memory is read while it works. */
    static final Duration POLL = Duration.ofMillis(20);
    private static final int MAX_LINE_BYTES = 4 << 20;
    private static final int STDERR_TAIL_BYTES = 8 << 10;

    private final Process process;
    private final Path tmpDir;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    /** The answer's JSON, or null when stdout ended without one. */
    private final CompletableFuture<String> answer = new CompletableFuture<>();
    private final Tail stderr = new Tail(STDERR_TAIL_BYTES);

    private ChildProcess(ChildLauncher.Started started) {
        this.process = started.process();
        this.tmpDir = started.tmpDir();
        Thread.ofPlatform().daemon().name("validator-out-" + process.pid()).start(this::readStdout);
        Thread.ofPlatform().daemon().name("validator-err-" + process.pid()).start(this::readStderr);
        process.onExit().thenRun(() -> ChildLauncher.deleteRecursively(tmpDir));
    }

    static ChildProcess start(ChildLauncher launcher) throws IOException {
        return new ChildProcess(launcher.start());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Hands the job over and waits for the answer, killing the child when it passes the time or memory limit.
     * Interrupting the caller kills the child too.
     */
    Verdict run(ValidationJob job, ValidationLimits limits, ObjectMapper json) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limits.timeout().toNanos();
        try (OutputStream in = process.getOutputStream()) {
            in.write((json.writeValueAsString(job) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return died(limits); // the child is gone already
        }
        long peak = -1;
        try {
            while (!answer.isDone()) {
                long rss = ProcessMemory.residentBytes(process.pid());
                peak = Math.max(peak, rss);
                if (rss > limits.memoryBytes()) {
                    kill();
                    return new Verdict.Refused(Reason.MEMORY_LIMIT, overMemory(limits, rss));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    kill();
                    return new Verdict.Refused(Reason.TIME_LIMIT, "loading and warming up the model did not finish "
                            + "within the validation time limit of " + seconds(limits.timeout()) + " (its forward "
                            + "pass may never return); the process doing it was stopped. Raise the limit with "
                            + "MM_VALIDATION_TIMEOUT / --validation-timeout if the model is just slow to load");
                }
                try {
                    answer.get(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // poll the memory again
                }
            }
            String line = answer.get();
            if (line == null) {
                return died(limits);
            }
            ChildAnswer a = json.readValue(line, ChildAnswer.class);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return a.ok() ? new Verdict.Valid(a.schema(), took, peak)
                    : new Verdict.Refused(Reason.INVALID_MODEL, a.error());
        } catch (InterruptedException e) {
            kill();
            throw e;
        } catch (ExecutionException | IOException e) {
            kill();
            return new Verdict.Refused(Reason.CRASHED, "the validation process answered something unreadable: "
                    + e.getMessage());
        }
    }

    /** Why the child ended without an answer: out of heap, never started, or crashed. */
    private Verdict died(ValidationLimits limits) throws InterruptedException {
        boolean exited = process.waitFor(2, TimeUnit.SECONDS);
        if (!exited) {
            kill();
        }
        String tail = stderr.text();
        if (tail.contains("java.lang.OutOfMemoryError")) {
            return new Verdict.Refused(Reason.MEMORY_LIMIT, "the model ran the validation process out of its "
                    + (limits.heapBytes() >> 20) + " MiB Java heap (half the validation memory limit of "
                    + (limits.memoryBytes() >> 20) + " MiB); raise MM_VALIDATION_MEMORY / --validation-memory if the "
                    + "model is legitimately that large");
        }
        if (!ready.isDone()) {
            return new Verdict.Unavailable("the validation process did not start (exit code "
                    + (exited ? process.exitValue() : "none") + ")" + (tail.isBlank() ? "" : ": " + lastLines(tail)));
        }
        int code = exited ? process.exitValue() : -1;
        return new Verdict.Refused(Reason.CRASHED, "the validation process died while loading the model ("
                + (code > 128 ? "signal " + (code - 128) : "exit code " + code) + ")"
                + (tail.isBlank() ? "" : ": " + lastLines(tail)) + "; the file makes its runtime crash");
    }

    private static String overMemory(ValidationLimits limits, long rss) {
        return "loading and warming up the model took more than the validation memory limit of "
                + (limits.memoryBytes() >> 20) + " MiB (the process doing it had reached " + (rss >> 20)
                + " MiB and was stopped); raise MM_VALIDATION_MEMORY / --validation-memory if the model is "
                + "legitimately that large";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String lastLines(String text) {
        String[] lines = text.strip().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - 3); i < lines.length; i++) {
            sb.append(sb.isEmpty() ? "" : " | ").append(lines[i].strip());
        }
        return sb.length() > 600 ? sb.substring(sb.length() - 600) : sb.toString();
    }

    /** Kills the child (and anything it started) and waits briefly for it to be gone. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readStdout() {
        try (InputStream out = process.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean overlong = false;
            for (int b = out.read(); b >= 0; b = out.read()) {
                if (b != '\n') {
                    if (line.size() < MAX_LINE_BYTES) {
                        line.write(b);
                    } else {
                        overlong = true; // native noise without line breaks: dropped, never held
                    }
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (overlong) {
                    overlong = false;
                } else if (text.equals(ChildAnswer.READY)) {
                    ready.complete(null);
                } else if (text.startsWith(ChildAnswer.MARKER)) {
                    answer.complete(text.substring(ChildAnswer.MARKER.length()));
                }
            }
        } catch (IOException e) {
            // the pipe closed under us: the child is gone
        } finally {
            answer.complete(null);
        }
    }

    private void readStderr() {
        try (InputStream err = process.getErrorStream()) {
            byte[] chunk = new byte[4096];
            for (int n = err.read(chunk); n >= 0; n = err.read(chunk)) {
                stderr.add(chunk, n);
            }
        } catch (IOException e) {
            // the child is gone
        }
    }

    /** The last bytes of a stream. */
    static final class Tail {
        private final byte[] ring;
        private long written;

        Tail(int size) {
            ring = new byte[size];
        }

        synchronized void add(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                ring[(int) (written++ % ring.length)] = b[i];
            }
        }

        synchronized String text() {
            int len = (int) Math.min(written, ring.length);
            byte[] out = new byte[len];
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((written - len + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
