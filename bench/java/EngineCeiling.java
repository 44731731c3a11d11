import io.modelmesh.api.Framework;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.Engines;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.LoadedModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine-side ceiling of a model on this machine: rows per second through the engine SPI alone (no HTTP, no JSON,
 * no batching machinery), at each batch size, with 1 and with N threads calling {@code predict} back to back on one
 * loaded model (as a node's engine calls do: one session, called concurrently). What a node could serve if requests
 * cost nothing but the engine. Run from the repository root after a build:
 *
 *   java --enable-native-access=ALL-UNNAMED -cp "dist/target/modelmesh/lib/*" bench/java/EngineCeiling.java \
 *        onnx bench/models/batchy.onnx 1,64 [threads, default 1,2] [seconds per run, default 5]
 *
 * Prints a markdown table: rows/s, µs per call and per row, and each batch size's rows/s against batch 1's.
 */
public class EngineCeiling {
    public static void main(String[] args) throws Exception {
        Framework framework = Framework.parse(args[0]);
        Path model = Path.of(args[1]);
        int[] batches = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] threadCounts = Arrays.stream((args.length > 3 ? args[3] : "1,2").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 5;
        try (LoadedModel m = Engines.create(EngineConfig.defaults()).forFramework(framework).load(model, List.of())) {
            System.out.println("| threads | batch | calls/s | rows/s | µs/call | µs/row | rows/s vs batch 1 |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (int threads : threadCounts) {
                double base = 0;
                for (int batch : batches) {
                    run(m, batch, threads, Math.max(1, seconds / 3)); // warm-up
                    double callsPerSecond = run(m, batch, threads, seconds);
                    double rows = callsPerSecond * batch;
                    if (batch == batches[0]) {
                        base = rows;
                    }
                    System.out.printf("| %d | %d | %.0f | %.0f | %.1f | %.2f | %.2f |%n", threads, batch,
                            callsPerSecond, rows, threads * 1e6 / callsPerSecond, threads * 1e6 / rows,
                            rows / base);
                }
            }
        }
    }

    /** Calls per second over {@code seconds} with {@code threads} threads calling back to back. */
    private static double run(LoadedModel m, int batch, int threads, double seconds) throws Exception {
        int width = m.rowWidth();
        float[] values = new float[batch * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = ((i * 37) % 101) / 100f - 0.5f;
        }
        FloatBatch input = new FloatBatch(values, batch, width);
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (!stop.get()) {
                    m.predict(input);
                    calls.increment();
                }
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        Thread.sleep((long) (seconds * 1000)); // the measuring window of a benchmark harness, not a test wait
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        return calls.sum() / ((System.nanoTime() - start) / 1e9);
    }
}
