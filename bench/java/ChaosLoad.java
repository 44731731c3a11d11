import io.modelmesh.api.Prediction;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.RetryPolicy;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prediction load through the Java SDK, the way an application would send it, for bench/chaos.sh: CONCURRENCY virtual
 * threads, each predicting in a loop (closed loop, no think time) over every node given, with the SDK's default retry
 * policy (3 attempts, backoff with jitter, another node first when one cannot be reached or is shutting down).
 * Runs until the file STOP_FILE exists or DURATION_S seconds have passed.
 *
 * <p>Writes to OUT: one line {@code FAIL <epoch ms> <what>} per prediction the application saw fail (after the SDK's
 * retries), then {@code total <n> ok <n> failed <n> degraded <n> seconds <s>}. chaos.sh compares the failure times
 * with the moment it broke something.
 *
 * <p>Usage: {@code java -cp 'lib/*' ChaosLoad.java [--predict-token-file FILE] MODEL ROW_JSON CONCURRENCY DURATION_S
 * STOP_FILE OUT NODE_URL...}, e.g. {@code iris '[5.1,3.5,1.4,0.2]' 8 60 /tmp/stop /tmp/out http://127.0.0.1:8000}.
 */
public final class ChaosLoad {
    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        String predictToken = null;
        if (!a.isEmpty() && a.getFirst().equals("--predict-token-file")) {
            a.removeFirst();
            predictToken = Files.readString(Path.of(a.removeFirst())).strip();
        }
        if (a.size() < 7) {
            System.err.println("usage: ChaosLoad [--predict-token-file FILE] MODEL ROW_JSON CONCURRENCY DURATION_S "
                    + "STOP_FILE OUT NODE_URL...");
            System.exit(2);
        }
        String model = a.get(0);
        String body = "{\"inputs\":" + a.get(1) + "}";
        int concurrency = Integer.parseInt(a.get(2));
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(a.get(3))).toNanos();
        Path stop = Path.of(a.get(4));
        Path out = Path.of(a.get(5));
        List<URI> nodes = a.subList(6, a.size()).stream().map(URI::create).toList();

        ModelMeshClient client = ModelMeshClient.builder().dataPlanes(nodes).predictToken(predictToken)
                .retryPolicy(RetryPolicy.DEFAULT).timeout(Duration.ofSeconds(10)).build();
        AtomicLong total = new AtomicLong();
        AtomicLong degraded = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < deadline && !Files.exists(stop)) {
                    try {
                        Prediction p = client.predict(model, null, body);
                        if (p.degraded()) {
                            degraded.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failures.add("FAIL " + System.currentTimeMillis() + " " + e.getClass().getSimpleName() + ": "
                                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                        // a failure answered at once would spin: the application would not retry faster than this
                        sleepQuietly(ThreadLocalRandom.current().nextInt(5, 15));
                    } finally {
                        total.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            failures.forEach(w::println);
            w.printf("total %d ok %d failed %d degraded %d seconds %.1f%n", total.get(),
                    total.get() - failures.size(), failures.size(), degraded.get(), seconds);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + out, e);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
