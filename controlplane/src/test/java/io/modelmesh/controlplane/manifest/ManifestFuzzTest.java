package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.ErrorDetail;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property-based fuzzing of the manifest path `mmctl apply` feeds (YAML documents, then each document's fields and
 * rules): any file gives manifests or problems that name a field and say what to fix — never an exception, which the
 * apply endpoint would answer as a 500 after a half-read file.
 * <p>
 * Inputs start from the committed examples (manifests/examples), whose lines are then replaced by near misses (wrong
 * types, huge numbers, bad durations, YAML anchors and aliases, tags), dropped, duplicated or re-indented; and from the
 * same files cut or changed at random bytes.
 */
class ManifestFuzzTest {
    private static final List<String> EXAMPLES = examples();

    @Property
    void editedExamplesGiveManifestsOrProblems(@ForAll("editedExamples") String yaml) {
        check(yaml);
    }

    @Property
    void mangledExamplesGiveManifestsOrProblems(@ForAll("mangledExamples") String yaml) {
        check(yaml);
    }

    @Property(tries = 300)
    void anyTextGivesManifestsOrProblems(@ForAll String yaml) {
        check(yaml);
    }

    private static void check(String yaml) {
        try {
            switch (YamlDocuments.parse("fuzz.yaml", yaml)) {
                case YamlDocuments.SyntaxError e -> assertSays(e.detail());
                case YamlDocuments.Documents docs -> {
                    for (YamlDocument doc : docs.documents()) {
                        switch (ManifestReader.read(doc)) {
                            case ManifestReader.Valid v -> assertTrue(v.manifest().name() != null);
                            case ManifestReader.Invalid invalid -> {
                                assertFalse(invalid.problems().isEmpty(), "an invalid manifest names its problems");
                                invalid.problems().forEach(ManifestFuzzTest::assertSays);
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            fail("reading a manifest threw " + e + " instead of reporting a problem", e);
        }
    }

    private static void assertSays(ErrorDetail d) {
        assertTrue(d.message() != null && !d.message().isBlank(), "a problem says what to fix: " + d);
    }

    @Provide
    Arbitrary<String> editedExamples() {
        Arbitrary<String> example = Arbitraries.of(EXAMPLES);
        Arbitrary<String> nearMiss = Arbitraries.oneOf(
                Arbitraries.of("-1", "0", "101", "1.5", "1e400", "9223372036854775807", "-9223372036854775808",
                        "\"\"", "~", "null", "[]", "{}", "[1, [2, [3]]]", "yes", "0x1F", ".nan", "-.inf",
                        "5", "5s", "-5s", "0s", "2562047788015216h", "1d", "1w", "99999999999999999999ms", "10m30s",
                        "!!binary aGVsbG8=", "!!str 5", "!!float x", "!custom x", "&a [1, 2]", "*a", "*undefined",
                        "|\n  multi\n  line", "'quoted'", "\"\\u0000\"", "ρ", "a: b", "- x", "{a: *a}", "1.0.0",
                        "1.0.0-rc.1+build", "..", "../etc/passwd", "x".repeat(300)),
                Arbitraries.strings().ofMaxLength(12));
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers()
                .between(0, 1000), nearMiss).as(Edit::new);
        return Combinators.combine(example, edit.list().ofMinSize(1).ofMaxSize(4)).as((text, edits) -> {
            List<String> lines = new ArrayList<>(text.lines().toList());
            for (Edit e : edits) {
                if (lines.isEmpty()) {
                    break;
                }
                int at = e.line() % lines.size();
                String line = lines.get(at);
                int colon = line.indexOf(": ");
                switch (e.kind()) {
                    case 0 -> lines.set(at, colon > 0 ? line.substring(0, colon + 2) + e.value() : line + e.value());
                    case 1 -> lines.remove(at);
                    case 2 -> lines.add(at, line);
                    case 3 -> lines.set(at, "  " + line);
                    default -> lines.add(at, line.replaceAll("\\S.*", "") + "extra_" + e.line() + ": " + e.value());
                }
            }
            return String.join("\n", lines);
        });
    }

    @Provide
    Arbitrary<String> mangledExamples() {
        Arbitrary<String> bomb = Arbitraries.integers().between(2, 12).map(ManifestFuzzTest::aliasBomb);
        Arbitrary<String> mangled = Combinators.combine(Arbitraries.of(EXAMPLES),
                        Arbitraries.integers().between(0, 10_000), Arbitraries.chars(), Arbitraries.of(true, false))
                .as((text, at, c, cut) -> {
                    int i = at % Math.max(1, text.length());
                    return cut ? text.substring(0, i) : text.substring(0, i) + c + text.substring(Math.min(
                            text.length(), i + 1));
                });
        Arbitrary<String> joined = Arbitraries.of(EXAMPLES).list().ofMinSize(2).ofMaxSize(4)
                .map(l -> String.join("\n---\n", l));
        return Arbitraries.oneOf(mangled, mangled, joined, bomb);
    }

    /** "Billion laughs": each level refers to the previous one ten times. */
    private static String aliasBomb(int levels) {
        StringBuilder y = new StringBuilder("apiVersion: modelmesh.io/v1\nkind: ModelDeployment\n");
        y.append("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < levels; i++) {
            String prev = "*a" + (i - 1);
            y.append("a").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, prev))).append("]\n");
        }
        y.append("metadata: {name: iris, labels: *a").append(levels - 1).append("}\nspec: {strategy: full, "
                + "stable: 1.0.0}\n");
        return y.toString();
    }

    private record Edit(int kind, int line, String value) {
    }

    private static List<String> examples() {
        try (Stream<Path> files = Files.list(Path.of("..", "manifests", "examples"))) {
            List<String> texts = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                texts.add(Files.readString(f));
            }
            assertFalse(texts.isEmpty(), "the committed manifest examples are the fuzzer's seeds");
            return List.copyOf(texts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
