import io.modelmesh.api.Framework;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.Engines;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.validate.ModelValidator;
import io.modelmesh.engine.validate.ValidationLimits;
import io.modelmesh.engine.validate.Verdict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What validating an upload in a child process costs against loading it in this process: N child validations (each
 * started once the spare child has had time to get ready, as between registrations) and N in-process loads with a
 * warm-up, timed in milliseconds. Run from the repository root after a build:
 *
 *   java --enable-native-access=ALL-UNNAMED -cp "dist/target/modelmesh/lib/*" bench/java/ValidationLatency.java \
 *        onnx bench/models/large-50mb.onnx [trials] [pause-ms]
 *
 * The first in-process load pays the runtime's start-up (a server's first model); later ones are what a running
 * control plane paid per registration before validation moved to a child process.
 */
public class ValidationLatency {
    public static void main(String[] args) throws Exception {
        Framework framework = Framework.parse(args[0]);
        Path model = Path.of(args[1]);
        int trials = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long pause = args.length > 3 ? Long.parseLong(args[3]) : 3000;
        Path work = Files.createTempDirectory("validation-latency");
        List<Long> child = new ArrayList<>();
        try (ModelValidator v = ModelValidator.childProcess(ValidationLimits.defaults(), EngineConfig.defaults(),
                work)) {
            for (int i = 0; i < trials; i++) {
                Thread.sleep(pause); // the spare child starts after each validation; give it the time registrations do
                long t = System.nanoTime();
                Verdict verdict = v.validate(framework, model, List.of());
                child.add((System.nanoTime() - t) / 1_000_000);
                if (!(verdict instanceof Verdict.Valid)) {
                    throw new IllegalStateException("not valid: " + verdict);
                }
            }
        }
        List<Long> inProcess = new ArrayList<>();
        Engines engines = Engines.create(EngineConfig.defaults());
        for (int i = 0; i < trials + 1; i++) {
            long t = System.nanoTime();
            try (LoadedModel m = engines.forFramework(framework).load(model, List.of())) {
                m.warmUp();
            }
            inProcess.add((System.nanoTime() - t) / 1_000_000);
        }
        System.out.println("| " + model.getFileName() + " (" + Files.size(model) + " bytes) | min | median | max |");
        System.out.println("|---|---:|---:|---:|");
        row("child process: validate (load, warm, schema)", child);
        System.out.println("| in process: first load + warm-up | " + inProcess.getFirst() + " | | |");
        row("in process: later loads + warm-up", inProcess.subList(1, inProcess.size()));
    }

    private static void row(String what, List<Long> ms) {
        List<Long> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.println("| " + what + " | " + sorted.getFirst() + " | " + sorted.get(sorted.size() / 2) + " | "
                + sorted.getLast() + " |");
    }
}
