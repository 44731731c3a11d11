package io.modelmesh.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelmesh.api.Json;
import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.Page;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendering is pure: blocks in, text out. */
class PrinterTest {

    @Test
    void tablesAlignOnTwoSpaceGuttersWithoutTrailingSpaces() {
        Table t = Table.of("NAME", "VERSION", "LIVE").row("iris", "1.0.0", "yes").row("fraud-detector", "12.3.4", null)
                .build();
        assertEquals("""
                NAME            VERSION  LIVE
                iris            1.0.0    yes
                fraud-detector  12.3.4   -
                """, Printer.render(List.of(t), false));
    }

    @Test
    void detailsAlignKeysAndIndentContinuationLines() {
        Details d = Details.builder().add("model", "iris").add("outputs", "logits FP32 [-1,3]\nprobabilities FP32 [-1,3]")
                .add("parent", null).build();
        assertEquals("""
                model    iris
                outputs  logits FP32 [-1,3]
                         probabilities FP32 [-1,3]
                parent   -
                """, Printer.render(List.of(d), false));
    }

    @Test
    void blocksAreSeparatedByABlankLine() {
        String s = Printer.render(List.of(Details.builder().add("a", "1").build(), Table.of("X").row("y").build()), false);
        assertEquals("a  1\n\nX\ny\n", s);
    }

    @Test
    void noBlocksNoText() {
        assertEquals("", Printer.render(List.of(), false));
    }

    @Test
    void coloursOnlyWhenAskedAndAlignmentIgnoresThem() {
        Table t = Table.of("STATE", "N").row(Cell.good("LIVE"), "1").row(Cell.bad("DEAD"), "2").build();
        String plain = Printer.render(List.of(t), false);
        String coloured = Printer.render(List.of(t), true);
        assertFalse(plain.contains("\u001B["));
        assertTrue(coloured.contains("\u001B[32mLIVE\u001B[m"), coloured);   // green
        assertTrue(coloured.contains("\u001B[31mDEAD\u001B[m"), coloured);   // red
        assertTrue(coloured.contains("\u001B[1mSTATE\u001B[m"), coloured);   // bold header
        assertEquals(plain, coloured.replaceAll("\u001B\\[[0-9;]*m", ""), "same layout with colours stripped");
    }

    @Test
    void jsonUsesThePlatformConventions() throws Exception {
        Page<ModelSummary> page = new Page<>(List.of(new ModelSummary("iris", "onnx", "1.0.0", null, 1,
                Instant.parse("2026-11-24T09:47:00Z"))), 0, 50, 1);
        String json = Printer.json(page);
        JsonNode n = Json.mapper().readTree(json);
        assertEquals("1.0.0", n.at("/items/0/latest_version").asText(), "snake_case");
        assertEquals("2026-11-24T09:47:00Z", n.at("/items/0/created_at").asText(), "ISO-8601");
        assertTrue(n.at("/items/0/live_version").isMissingNode(), "nulls omitted");
        assertTrue(json.contains("\n  \"items\": ["), "pretty, 'key': value:\n" + json);
        assertFalse(json.contains("\u001B["));
    }

    @Test
    void yamlHasTheSameDataAsJson() throws Exception {
        Page<ModelSummary> page = new Page<>(List.of(new ModelSummary("iris", "onnx", "1.0.0", null, 1,
                Instant.parse("2026-11-24T09:47:00Z"))), 0, 50, 1);
        String yaml = Printer.yaml(page);
        assertEquals("""
                items:
                  - name: iris
                    framework: onnx
                    latest_version: 1.0.0
                    versions: 1
                    created_at: 2026-11-24T09:47:00Z
                page: 0
                size: 50
                total: 1
                """, yaml);
        JsonNode back = Json.mapper().copyWith(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(yaml);
        assertEquals(Json.mapper().readTree(Printer.json(page)), back, "same fields and values as -o json");
    }

    @Test
    void printerWritesJsonOrTableToOutAndNotesToErr() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Printer json = new Printer(new PrintWriter(out), new PrintWriter(err), OutputFormat.JSON, true);
        json.print(List.of(1, 2), l -> List.of(Table.of("N").build()));
        json.note("hello");
        assertEquals("[\n  1,\n  2\n]\n", out.toString().replace(System.lineSeparator(), "\n"));
        assertEquals("hello\n", err.toString().replace(System.lineSeparator(), "\n"));

        StringWriter out2 = new StringWriter();
        Printer table = new Printer(new PrintWriter(out2), new PrintWriter(new StringWriter()), OutputFormat.TABLE, false);
        table.print(List.of(1, 2), l -> List.of(Table.of("N").row(l.get(0)).row(l.get(1)).build()));
        assertEquals("N\n1\n2\n", out2.toString());
    }

    @Test
    void formatHelpers() {
        assertEquals("512 B", Format.bytes(512));
        assertEquals("1.5 KiB", Format.bytes(1536));
        assertEquals("2.0 GiB", Format.bytes(2L << 30));
        assertEquals("abcdef012345", Format.shortSha("abcdef0123456789"));
        assertEquals("[0.1,0.9]", Format.value(List.of(0.1, 0.9)));
        assertEquals("setosa", Format.value("setosa"));
        assertEquals("2026-11-24T09:47:00Z", Format.instant(Instant.parse("2026-11-24T09:47:00.123456Z")));
    }
}
