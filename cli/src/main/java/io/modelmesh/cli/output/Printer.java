package io.modelmesh.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.modelmesh.api.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a command's result to stdout, as aligned tables for people or as pretty JSON or YAML (the platform's own
 * mapper) for scripts, and messages to stderr. Colours as {@link Colors} decides, and never in JSON or YAML.
 */
public final class Printer {
    /** Made on first use (a holder class), like {@link Yaml}: a command that prints a table never needs it. */
    private static final class Pretty {
        static final ObjectWriter JSON = Json.mapper().writer(new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));
    }

    /** Made on first use (a holder class): a command that prints a table never loads the YAML stack (SnakeYAML). */
    private static final class Yaml {
        static final ObjectWriter WRITER = Json.mapper().copyWith(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build()).writer();
    }

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final Colors colors;

    public Printer(PrintWriter out, PrintWriter err, OutputFormat format, Colors colors) {
        this.out = out;
        this.err = err;
        this.format = format;
        this.colors = colors.forFormat(format);
    }

    public Printer(PrintWriter out, PrintWriter err, OutputFormat format, boolean colour) {
        this(out, err, format, Colors.of(colour));
    }

    /** The colours of this printer: none for JSON and YAML. */
    public Colors colors() {
        return colors;
    }

    public OutputFormat format() {
        return format;
    }

    /** Prints {@code data} as JSON, YAML, names, or as the blocks {@code tableView} makes of it (also for wide). */
    public <T> void print(T data, Function<? super T, List<Block>> tableView) {
        print(data, tableView, tableView);
    }

    /** As {@link #print(Object, Function)}, with the view {@code -o wide} shows (more columns). */
    public <T> void print(T data, Function<? super T, List<Block>> tableView,
                          Function<? super T, List<Block>> wideView) {
        switch (format) {
            case JSON -> out.println(json(data));
            case YAML -> out.print(yaml(data));
            case NAME -> names(data).forEach(out::println);
            case TABLE, WIDE -> {
                List<Block> blocks = format == OutputFormat.WIDE ? wideView.apply(data) : tableView.apply(data);
                String text = render(blocks, colors);
                if (!text.isEmpty()) {
                    out.print(text);
                }
            }
        }
        out.flush();
    }

    /** What {@code -o name} prints of a result, first found of each item: name, version, id (revision), model. */
    private static final List<String> NAME_FIELDS = List.of("name", "version", "id", "model");

    /**
     * The names of a result (a list, a page's items, or one record), one per item, in the order of the JSON: a
     * model's name, a version's version, a revision's or rollout's id.
     */
    public static List<String> names(Object data) {
        com.fasterxml.jackson.databind.JsonNode n = io.modelmesh.api.Json.mapper().valueToTree(data);
        if (n != null && n.isObject() && n.path("items").isArray()) {
            n = n.get("items");
        }
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(nameOf(e)));
        } else if (n != null && !n.isNull()) {
            out.add(nameOf(n));
        }
        return out;
    }

    private static String nameOf(com.fasterxml.jackson.databind.JsonNode n) {
        for (String f : NAME_FIELDS) {
            if (n.path(f).isValueNode() && !n.path(f).isNull()) {
                return n.path(f).asText();
            }
        }
        throw io.modelmesh.cli.CliException.invalidInput("-o name: this command's result has no names; "
                + "use -o json or -o yaml");
    }

    /** A message for the person at the terminal (progress, hints): stderr, never part of the data. */
    public void note(String message) {
        err.println(message);
        err.flush();
    }

    public void warn(String message) {
        err.println(colors.warning("warning:") + " " + message);
        err.flush();
    }

    /** Pretty JSON with ModelMesh's conventions (snake_case, ISO-8601 instants, nulls omitted). */
    public static String json(Object data) {
        try {
            return Pretty.JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + data.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** YAML with the same fields as {@link #json(Object)} (snake_case, ISO-8601 instants, nulls omitted). */
    public static String yaml(Object data) {
        try {
            return Yaml.WRITER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + data.getClass().getSimpleName() + " as YAML", e);
        }
    }

    /** Renders blocks as text: tables aligned on two-space gutters, details as key/value lines, a blank line between. */
    public static String render(List<Block> blocks, boolean colour) {
        return render(blocks, Colors.of(colour));
    }

    /** Renders blocks as text with the given colours. */
    public static String render(List<Block> blocks, Colors colour) {
        List<String> parts = new ArrayList<>();
        for (Block b : blocks) {
            // instanceof, not a pattern switch: that one links through a bootstrap that generates a class at run
            // time, ~15 ms of every table a fresh mmctl JVM prints (docs/benchmark_results.md, the mmctl section)
            String s;
            if (b instanceof Table t) {
                s = renderTable(t, colour);
            } else if (b instanceof Details d) {
                s = renderDetails(d, colour);
            } else {
                s = renderLines((Lines) b, colour);
            }
            if (!s.isEmpty()) {
                parts.add(s);
            }
        }
        return parts.isEmpty() ? "" : String.join("\n", parts);
    }

    private static String renderTable(Table t, Colors colour) {
        int n = t.headers().size();
        int[] width = new int[n];
        for (int c = 0; c < n; c++) {
            width[c] = len(t.headers().get(c));
        }
        for (List<Object> row : t.rows()) {
            for (int c = 0; c < n; c++) {
                width[c] = Math.max(width[c], len(Cell.text(row.get(c))));
            }
        }
        StringBuilder sb = new StringBuilder();
        List<Object> header = new ArrayList<>(t.headers());
        appendRow(sb, header, width, colour, true);
        for (List<Object> row : t.rows()) {
            appendRow(sb, row, width, colour, false);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<Object> row, int[] width, Colors colour, boolean header) {
        for (int c = 0; c < row.size(); c++) {
            String text = Cell.text(row.get(c));
            boolean last = c == row.size() - 1;
            sb.append(header ? colour.header(text) : styled(row.get(c), text, colour));
            if (!last) {
                sb.append(" ".repeat(width[c] - len(text) + 2));
            }
        }
        sb.append('\n');
    }

    private static String renderDetails(Details d, Colors colour) {
        int w = 0;
        for (Details.Entry e : d.entries()) {
            w = Math.max(w, len(e.key()));
        }
        StringBuilder sb = new StringBuilder();
        for (Details.Entry e : d.entries()) {
            String text = Cell.text(e.value());
            String[] lines = text.split("\n", -1);
            sb.append(colour.header(e.key())).append(" ".repeat(w - len(e.key()) + 2));
            sb.append(styled(e.value(), lines[0], colour)).append('\n');
            for (int i = 1; i < lines.length; i++) {
                sb.append(" ".repeat(w + 2)).append(styled(e.value(), lines[i], colour)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String renderLines(Lines l, Colors colour) {
        StringBuilder sb = new StringBuilder();
        for (Object line : l.lines()) {
            sb.append(styled(line, Cell.text(line), colour)).append('\n');
        }
        return sb.toString();
    }

    private static String styled(Object value, String text, Colors colour) {
        return value instanceof Cell c ? colour.tone(c.tone(), text) : text;
    }

    private static int len(String s) {
        return s.codePointCount(0, s.length());
    }
}
