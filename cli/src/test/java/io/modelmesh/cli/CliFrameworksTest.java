package io.modelmesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.Json;
import io.modelmesh.cli.Cli.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every format through mmctl against a real control plane and node: {@code register} (framework detected, no flags),
 * {@code predict} of a reference row, {@code versions} showing the schema, and the hostile pickle refused with exit 2.
 */
class CliFrameworksTest {
    private static final Path FIXTURES = Path.of("..", "fixtures", "models");

    @TempDir
    static Path home;
    static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(home);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Result mmctl(String... args) {
        return stack.mmctl(args);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "cli-onnx, iris.onnx, onnx, iris.reference.json",
            "cli-torch, iris.pt, torchscript, iris.reference.json",
            "cli-rf, iris_rf.joblib, sklearn, iris_rf.reference.json",
            "cli-logreg, iris_logreg.pkl, sklearn, iris_logreg.reference.json",
            "cli-pmml, diabetes_linear.pmml, pmml, diabetes_linear.reference.json"})
    void registerPredictAndVersions(String name, String file, String framework, String referenceFile)
            throws Exception {
        Result reg = mmctl("register", name, "--file", FIXTURES.resolve(file).toString(), "-o", "json");
        assertEquals(0, reg.code(), reg.toString());
        JsonNode registered = Json.mapper().readTree(reg.out());
        assertEquals(framework, registered.at("/version/framework").asText(), reg.out());
        assertFalse(reg.err().contains("uploading"), "no progress bar when output is not a terminal: " + reg.err());

        JsonNode reference = Json.mapper().readTree(FIXTURES.resolve(referenceFile).toFile());
        for (int i = 0; i < reference.get("inputs").size(); i++) {
            int row = i;
            Result predict = mmctl("predict", name, "--input", "{\"inputs\":" + reference.at("/inputs/" + row) + "}",
                    "-o", "json");
            assertEquals(0, predict.code(), predict.toString());
            JsonNode outputs = Json.mapper().readTree(predict.out()).get("outputs");
            JsonNode expected = reference.get("outputs");
            if (expected.has("label")) {
                assertEquals(expected.at("/label/" + row).asText(), outputs.get("label").asText(), predict.out());
                JsonNode classes = reference.get("classes");
                for (int k = 0; k < classes.size(); k++) {
                    assertEquals(expected.at("/probabilities/" + row + "/" + k).asDouble(),
                            outputs.at("/probabilities/" + classes.get(k).asText()).asDouble(), 1e-5, predict.out());
                }
            } else {
                expected.fieldNames().forEachRemaining(out -> {
                    JsonNode e = expected.get(out).get(row);
                    JsonNode got = outputs.get(out);
                    if (e.isArray()) {
                        for (int k = 0; k < e.size(); k++) {
                            assertEquals(e.get(k).asDouble(), got.get(k).asDouble(), 1e-5, predict.out());
                        }
                    } else {
                        assertEquals(e.asDouble(), got.asDouble(), 1e-5 * Math.max(1, Math.abs(e.asDouble())),
                                predict.out());
                    }
                });
            }
        }

        Result versions = mmctl("versions", name);
        assertEquals(0, versions.code(), versions.toString());
        assertTrue(versions.out().contains("INPUT") && versions.out().contains("OUTPUT"), versions.out());
        if (reference.has("classes")) {
            List<String> classes = new ArrayList<>();
            reference.get("classes").forEach(c -> classes.add(c.asText()));
            assertTrue(versions.out().contains("probabilities[" + String.join(",", classes) + "]"), versions.out());
            assertTrue(versions.out().contains("sklearn->pmml"), versions.out());
        }
        if (framework.equals("pmml")) {
            assertTrue(versions.out().contains("age,sex,bmi"), versions.out());
        }
    }

    @Test
    void theHostilePickleIsRefusedWithExit2AndNothingRuns() throws Exception {
        Path marker = Path.of("/tmp/modelmesh-evil-pickle-ran");
        Files.deleteIfExists(marker);
        Result r = mmctl("register", "evil", "--file", FIXTURES.resolve("evil.pkl").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("never executed"), r.err());
        assertFalse(Files.exists(marker));
    }
}
