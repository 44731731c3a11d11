package io.modelmesh.controlplane.manifest;

import io.modelmesh.api.ErrorDetail;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A YAML syntax error points at the offending line and column and says what is wrong, like kubectl (issue 15, item
 * 8): before, a tab or a bad indent was reported on the line before the mistake in the parser's words.
 */
class YamlSyntaxErrorsTest {

    private static ErrorDetail error(String yaml) {
        return assertInstanceOf(YamlDocuments.SyntaxError.class, YamlDocuments.parse("iris.yaml", yaml)).detail();
    }

    @Test
    void aTabInTheIndentationIsNamedWhereItIs() {
        ErrorDetail d = error("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata:
                  name: iris
                spec:
                \tstrategy: full
                """);
        assertEquals(6, d.line(), d.toString());
        assertEquals(1, d.column(), d.toString());
        assertTrue(d.message().contains("a tab in the indentation"), d.message());
    }

    @Test
    void aLineIndentedDeeperThanABlockAllowsIsNamed() {
        ErrorDetail d = error("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata:
                  name: iris
                spec:
                  strategy: canary
                    stable: 1.0.0
                """);
        assertEquals(7, d.line(), d.toString());
        assertEquals(5, d.column(), d.toString());
        assertTrue(d.message().contains("indented 4 spaces, deeper than the 2 of the line before"), d.message());
    }

    @Test
    void aLineSteppingBackToNoEnclosingIndentIsNamed() {
        ErrorDetail d = error("""
                apiVersion: modelmesh.io/v1
                kind: ModelDeployment
                metadata:
                    name: iris
                spec:
                    strategy: canary
                    canary:
                        version: 1.1.0
                      percent: 10
                """);
        assertEquals(9, d.line(), d.toString());
        assertEquals(7, d.column(), d.toString());
        assertTrue(d.message().contains("indented 6 spaces, which matches no enclosing block (they are indented "
                + "0, 4)"), d.message());
    }

    @Test
    void otherSyntaxErrorsKeepTheParsersWords() {
        ErrorDetail d = error("""
                metadata: {name: iris
                spec:
                  strategy: full
                """);
        assertTrue(d.message().startsWith("not valid YAML: "), d.message());
        assertTrue(d.line() >= 1, d.toString());
    }

    /** The checker never blames a valid file: every shipped example, and lists at and under their keys' indent. */
    @Test
    void validFilesHaveNoMistake() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../manifests/examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                assertTrue(YamlIndentation.firstMistake(Files.readString(f)).isEmpty(), f.toString());
            }
        }
        String yaml = """
                spec:
                  ab:
                    arms:
                    - version: 1.0.0
                      weight: 50
                    -   version: 1.1.0
                        weight: 50
                  notes: |
                      text
                        more text, indented further
                  list:
                    - - a
                      - b
                    -
                      c: 1
                ---
                other: {a: [1,
                   2]}
                """;
        assertTrue(YamlIndentation.firstMistake(yaml).isEmpty(), () -> YamlIndentation.firstMistake(yaml).toString());
    }
}
