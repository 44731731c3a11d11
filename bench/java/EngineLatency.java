import io.modelmesh.api.Framework;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.Engines;
import io.modelmesh.engine.FloatBatch;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.sklearn.SklearnConverter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Engine latency through the ModelMesh engine SPI (no HTTP, no JSON): one thread, N calls per batch size after a
 * warm-up, reporting p50/p99 and mean per call. A scikit-learn pickle is first converted to PMML, as registration does,
 * and the PMML is timed. Run from the repository root after a build:
 *
 *   java --enable-native-access=ALL-UNNAMED -cp "dist/target/modelmesh/lib/*" bench/java/EngineLatency.java \
 *        onnx fixtures/models/iris.onnx 1,64 [iterations]
 *
 * Rows are synthetic ((i % 7) * 0.5, as wide as the model's input); the output table is markdown.
 */
public class EngineLatency {
    public static void main(String[] args) throws Exception {
        Framework framework = Framework.parse(args[0]);
        Path model = Path.of(args[1]);
        int[] batches = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        boolean header = args.length <= 4 || !args[4].equals("--no-header");
        Path served = model;
        if (framework == Framework.SKLEARN) {
            served = Files.createTempFile("engine-latency", ".pmml");
            new SklearnConverter().convert(model, List.of(), served);
        }
        try (LoadedModel m = Engines.create(EngineConfig.defaults()).forFramework(framework).load(served, List.of())) {
            int width = m.rowWidth();
            if (header) {
                System.out.println("| engine | model | batch | calls | mean µs/call | p50 µs | p99 µs | µs/row |");
                System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
            }
            for (int batch : batches) {
                float[] values = new float[batch * width];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (i % 7) * 0.5f;
                }
                FloatBatch input = new FloatBatch(values, batch, width);
                int n = Math.max(1000, iterations / batch);
                for (int i = 0; i < n; i++) {
                    m.predict(input); // warm-up: JIT and the runtime's allocator
                }
                long[] nanos = new long[n];
                long total = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long t = System.nanoTime();
                    m.predict(input);
                    nanos[i] = System.nanoTime() - t;
                }
                total = System.nanoTime() - total;
                Arrays.sort(nanos);
                double mean = total / 1000.0 / n;
                System.out.printf("| %s | %s | %d | %d | %.2f | %.2f | %.2f | %.3f |%n", framework.wireName(),
                        model.getFileName(), batch, n, mean, nanos[n / 2] / 1000.0, nanos[(int) (n * 0.99)] / 1000.0,
                        mean / batch);
            }
        } finally {
            if (served != model) {
                Files.deleteIfExists(served);
            }
        }
    }
}
