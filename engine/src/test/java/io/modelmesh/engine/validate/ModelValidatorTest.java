package io.modelmesh.engine.validate;

import io.modelmesh.api.Framework;
import io.modelmesh.api.TensorSpec;
import io.modelmesh.engine.EngineConfig;
import io.modelmesh.engine.validate.Verdict.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real child JVMs validating the committed fixtures, the hostile ones included. */
class ModelValidatorTest {
    private static final Path MODELS = Path.of("..", "fixtures", "models");
    private static final List<String> IRIS = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

    @TempDir
    Path dir;
    private ModelValidator validator;

    private ModelValidator validator(Duration timeout, long memory) {
        validator = ModelValidator.childProcess(new ValidationLimits(timeout, memory), EngineConfig.defaults(),
                dir.resolve("validation"));
        return validator;
    }

    @AfterEach
    void close() {
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void aValidModelAnswersItsSchemaFromTheChild() {
        ModelValidator v = validator(ValidationLimits.DEFAULT_TIMEOUT, ValidationLimits.DEFAULT_MEMORY_BYTES);
        Verdict.Valid onnx = assertInstanceOf(Verdict.Valid.class,
                v.validate(Framework.ONNX, MODELS.resolve("iris.onnx"), IRIS));
        assertEquals(List.of(new TensorSpec("input", "FP32", List.of(-1L, 4L))), onnx.schema().inputs());
        assertEquals(IRIS, onnx.schema().features());
        Verdict.Valid torch = assertInstanceOf(Verdict.Valid.class,
                v.validate(Framework.TORCHSCRIPT, MODELS.resolve("iris.pt"), List.of()));
        assertEquals(List.of("logits", "probabilities"), torch.schema().outputs().stream().map(TensorSpec::name)
                .toList());
        System.out.printf("onnx: %d ms, peak RSS %d MiB; torchscript: %d ms, peak RSS %d MiB%n", onnx.took().toMillis(),
                onnx.peakRss() >> 20, torch.took().toMillis(), torch.peakRss() >> 20);
    }

    @Test
    void whatTheEngineRefusesIsRefusedWithItsReason() {
        ModelValidator v = validator(ValidationLimits.DEFAULT_TIMEOUT, ValidationLimits.DEFAULT_MEMORY_BYTES);
        Verdict.Refused corrupt = assertInstanceOf(Verdict.Refused.class,
                v.validate(Framework.ONNX, MODELS.resolve("corrupt.onnx"), List.of()));
        assertEquals(Reason.INVALID_MODEL, corrupt.reason());
        assertTrue(corrupt.message().startsWith("not a valid ONNX model"), corrupt.message());
        Verdict.Refused external = assertInstanceOf(Verdict.Refused.class,
                v.validate(Framework.ONNX, MODELS.resolve("external_data.onnx"), List.of()));
        assertTrue(external.message().contains("in external data (location '../admin-token')"), external.message());
    }

    @Test
    void aForwardThatNeverReturnsIsStoppedAtTheTimeLimit() {
        ModelValidator v = validator(Duration.ofSeconds(4), ValidationLimits.DEFAULT_MEMORY_BYTES);
        long start = System.nanoTime();
        Verdict.Refused hang = assertInstanceOf(Verdict.Refused.class,
                v.validate(Framework.TORCHSCRIPT, MODELS.resolve("hang.pt"), List.of()));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Reason.TIME_LIMIT, hang.reason(), hang.message());
        assertTrue(hang.message().contains("within the validation time limit of 4 s"), hang.message());
        assertTrue(hang.message().contains("MM_VALIDATION_TIMEOUT / --validation-timeout"), hang.message());
        assertTrue(tookMs >= 4000 && tookMs < 7000, "stopped at the limit, took " + tookMs + " ms");
        // nothing keeps running: only the spare child (waiting for its job) is left under this JVM
        await().atMost(Duration.ofSeconds(10)).until(() -> validationChildren() <= 1);
        assertInstanceOf(Verdict.Valid.class, v.validate(Framework.ONNX, MODELS.resolve("iris.onnx"), List.of()),
                "the validator goes on working");
    }

    @Test
    void aForwardThatKeepsAllocatingIsStoppedAtTheMemoryLimit() {
        ModelValidator v = validator(Duration.ofSeconds(60), 1L << 30);
        long start = System.nanoTime();
        Verdict.Refused hog = assertInstanceOf(Verdict.Refused.class,
                v.validate(Framework.TORCHSCRIPT, MODELS.resolve("hog.pt"), List.of()));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Reason.MEMORY_LIMIT, hog.reason(), hog.message());
        assertTrue(hog.message().startsWith("loading and warming up the model took more than the validation memory "
                + "limit of 1024 MiB"), hog.message());
        assertTrue(tookMs < 30_000, "stopped by memory, long before the time limit: " + tookMs + " ms");
    }

    @Test
    void theChildSeesNoneOfTheServersEnvironmentAndGetsTheClassPathThroughAnArgFile() throws Exception {
        validator(ValidationLimits.DEFAULT_TIMEOUT, ValidationLimits.DEFAULT_MEMORY_BYTES);
        String args = Files.readString(dir.resolve("validation/validator.args"));
        assertTrue(args.contains("\"-cp\"\n\"" + ChildLauncher.absoluteClassPath(System.getProperty("java.class.path"))
                .replace("\\", "\\\\") + "\""), "the class path goes in the @argfile");
        assertTrue(args.contains("\"-Xmx512m\"") || args.contains("\"-Xmx1024m\""), args);
        assertTrue(args.contains("\"--enable-native-access=ALL-UNNAMED\""), args);
        if (System.getProperty("DJL_CACHE_DIR") != null) {
            assertTrue(args.contains("\"-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR") + "\""), args);
        }
    }

    @Test
    void relativeClassPathEntriesAreMadeAbsoluteForAChildThatRunsElsewhere() {
        String sep = java.io.File.pathSeparator;
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals(cwd + "/lib/*" + sep + "/abs/x.jar" + sep + cwd + "/classes",
                ChildLauncher.absoluteClassPath("lib/*" + sep + "/abs/x.jar" + sep + sep + "classes"));
    }

    private static long validationChildren() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(ChildLauncher.MAIN)).orElse(false))
                .count();
    }
}
