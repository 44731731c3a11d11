package io.modelmesh.engine.validate;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelmesh.api.Framework;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelSchema;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.Engines;
import io.modelmesh.engine.InvalidModelException;
import io.modelmesh.engine.LoadedModel;
import io.modelmesh.engine.Messages;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The child process of {@link ModelValidator}: starts, prints that it is ready, waits for one job on stdin, loads the
 * artifact with the engine that would serve it, warms it up, reads its schema, prints the answer and halts. It keeps
 * nothing and talks to nothing else; the parent bounds it in time and memory and kills it when over. Before waiting it
 * starts ONNX Runtime and runs a one-node model ({@link OnnxPrewarm}), so that most of a validation's own start-up
 * cost is paid before the job arrives.
 */
public final class ValidatorMain {
    private static final int MAX_JOB_CHARS = 1 << 20;

    private ValidatorMain() {
    }

    public static void main(String[] args) {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // anything else printed goes to stderr, where the parent keeps only a tail
        ObjectMapper json = Json.mapper();
        int status = 0;
        try {
            prewarm();
            answers.println(ChildAnswer.READY);
            String line = readJob();
            if (line == null) {
                Runtime.getRuntime().halt(0); // the parent went away (or closed the validator) before sending a job
            }
            ValidationJob job = json.readValue(line, ValidationJob.class);
            haltAfter(job.timeoutMillis() + 1000);
            ChildAnswer answer = run(job);
            answers.println(ChildAnswer.MARKER + json.writeValueAsString(answer));
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        answers.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status); // no shutdown hooks or native destructors: the answer is out
    }

    /**
     * The parent kills a child that passes its limits; this covers a parent that died first (the child is then an
     * orphan nobody watches): it stops itself when its parent is gone, and at the latest just after the time limit.
     */
    private static void haltAfter(long millis) {
        Thread.ofPlatform().daemon().name("validation-deadline").start(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(3);
        });
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(4)));
    }

    private static void prewarm() {
        try {
            OnnxPrewarm.run(); // onnxruntime's native library and its first session: most of an ONNX validation's start
        } catch (OrtException | RuntimeException e) {
            e.printStackTrace(); // the job still runs; it pays the start-up itself
        }
        try { // Jackson introspects a type on its first use: do it for the job and the answer now
            ObjectMapper json = Json.mapper();
            json.readValue(json.writeValueAsString(new ValidationJob("onnx", "/", List.of(), 1, null, 1)),
                    ValidationJob.class);
            json.readValue(json.writeValueAsString(new ChildAnswer(true, new ModelSchema(
                    List.of(new TensorSpec("x", "FP32", List.of(-1L, 1L))), List.of(), List.of()), null)),
                    ChildAnswer.class);
        } catch (java.io.IOException e) {
            e.printStackTrace();
        }
    }

    private static String readJob() throws java.io.IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (line.length() >= MAX_JOB_CHARS) {
                throw new IllegalArgumentException("job line longer than " + MAX_JOB_CHARS + " characters");
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    /** Loads, warms and describes the artifact; a refusal by the engine is an answer, not a failure. */
    static ChildAnswer run(ValidationJob job) {
        EngineConfig config = new EngineConfig(job.intraOpThreads(),
                job.nativeCacheDir() == null ? null : Path.of(job.nativeCacheDir()));
        try (LoadedModel model = Engines.create(config).forFramework(Framework.parse(job.framework()))
                .load(Path.of(job.artifact()), job.features())) {
            ModelSchema schema = model.schema();
            try {
                model.warmUp();
            } catch (RuntimeException e) {
                return new ChildAnswer(false, null, "the model loads but fails on its warm-up row (all zeros): "
                        + Messages.firstLine(e));
            }
            return new ChildAnswer(true, schema, null);
        } catch (InvalidModelException e) {
            return new ChildAnswer(false, null, e.getMessage());
        }
    }
}
