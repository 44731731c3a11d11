package io.modelmesh.controlplane.manifest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Finds the indentation mistake behind a YAML syntax error, as kubectl users expect to be told: a tab in the
 * indentation, a line indented deeper than the line before when that line opens no block, or a line that steps back
 * to an indentation no enclosing block has. The YAML parser notices such mistakes only later (often reporting the
 * line before, or the next key) and in its own words; {@link YamlDocuments} asks this class first when the parser
 * fails (pure: text in, the first mistake out). Block scalars ({@code |}, {@code >}) and flow collections spanning
 * lines are skipped; anything this class does not recognise is left to the parser's message.
 */
final class YamlIndentation {
    /** A mistake at a 1-based line and column. */
    record Mistake(int line, int column, String message) {
    }

    private YamlIndentation() {
    }

    static Optional<Mistake> firstMistake(String content) {
        String[] lines = content.split("\r?\n", -1);
        Deque<Integer> levels = new ArrayDeque<>(); // indentations of the open blocks, innermost first
        levels.push(0);
        boolean opensBlock = false;   // the previous content line ends with "key:" or is a bare "-"
        int blockScalarAt = -1;       // indentation of the key whose block scalar (| or >) is being skipped
        int flowDepth = 0;            // open [ and { across lines
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int indent = 0;
            while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
                indent++;
            }
            String rest = line.substring(indent);
            if (rest.isEmpty() || rest.startsWith("#")) {
                continue;
            }
            String lead = line.substring(0, indent);
            if (blockScalarAt >= 0) {
                if (lead.replace("\t", "").length() > blockScalarAt) {
                    continue; // a line of the block scalar's text
                }
                blockScalarAt = -1;
            }
            if (flowDepth > 0) {
                flowDepth = Math.max(0, flowDepth + depthChange(rest));
                continue;
            }
            if (rest.startsWith("---") || rest.startsWith("...")) {
                levels.clear();
                levels.push(0);
                opensBlock = false;
                continue;
            }
            int tab = lead.indexOf('\t');
            if (tab >= 0) {
                return Optional.of(new Mistake(n + 1, tab + 1, "a tab in the indentation; YAML indents with "
                        + "spaces only"));
            }
            int top = levels.peek();
            if (indent > top) {
                if (!opensBlock) {
                    return Optional.of(new Mistake(n + 1, indent + 1, "this line is indented " + indent
                            + " spaces, deeper than the " + top + " of the line before, which opens no block "
                            + "(only a line ending in 'key:' or a '-' does)"));
                }
                levels.push(indent);
            } else if (indent < top) {
                while (levels.size() > 1 && levels.peek() > indent) {
                    levels.pop();
                }
                if (levels.peek() != indent) {
                    return Optional.of(new Mistake(n + 1, indent + 1, "this line is indented " + indent
                            + " spaces, which matches no enclosing block (they are indented " + levels(levels)
                            + "); line it up with the key it belongs beside"));
                }
            }
            // a "- key: v" item: the item's mapping continues at the column after "- "
            String body = rest;
            int itemIndent = indent;
            while (body.startsWith("- ") || body.equals("-")) {
                int skip = body.equals("-") ? 1 : 2;
                while (skip < body.length() && body.charAt(skip) == ' ') {
                    skip++;
                }
                itemIndent += skip;
                body = body.substring(Math.min(skip, body.length()));
                if (!body.isEmpty()) {
                    levels.push(itemIndent);
                }
            }
            String code = withoutComment(body).stripTrailing();
            flowDepth = Math.max(0, depthChange(code));
            opensBlock = body.isEmpty() || code.endsWith(":");
            if (code.matches(".*:\\s*[|>][+-]?[0-9]?$")) {
                blockScalarAt = itemIndent;
                opensBlock = false;
            }
        }
        return Optional.empty();
    }

    private static String levels(Deque<Integer> levels) {
        StringBuilder sb = new StringBuilder();
        levels.descendingIterator().forEachRemaining(l -> sb.append(sb.isEmpty() ? "" : ", ").append(l));
        return sb.toString();
    }

    /** Open minus closed brackets outside quotes. */
    private static int depthChange(String text) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return depth;
    }

    /** The text before a {@code #} comment (a {@code #} after a space, outside quotes). */
    private static String withoutComment(String text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || text.charAt(i - 1) == ' ')) {
                return text.substring(0, i);
            }
        }
        return text;
    }
}
