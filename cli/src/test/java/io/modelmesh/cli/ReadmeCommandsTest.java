package io.modelmesh.cli;

import io.modelmesh.cli.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's examples work when pasted (issue 15), and so does the first-hour tutorial (issue 13): every
 * {@code mmctl} command of a document's {@code bash} blocks runs, in the document's order, against a real control
 * plane and node started for that document alone, and exits 0 — or with the code its comment announces as
 * {@code (exit N ...)}. {@code mmctl up} and {@code mmctl down} are the exceptions: this test's stack plays the part
 * of {@code up}, and {@code down} would end it. Paths in the commands are the repository's (fixtures/, manifests/).
 */
class ReadmeCommandsTest {
    private static final Set<String> PROVIDED_BY_THE_TEST = Set.of("up", "down");
    private static final Set<String> REPOSITORY_DIRS = Set.of("fixtures/", "manifests/", "examples/");
    private static final Pattern EXPECTED_EXIT = Pattern.compile("\\(exit (\\d+)\\b");

    /** One mmctl command of a document: where it is, its arguments, the exit code it must end with. */
    record Command(int line, List<String> args, int exit) {
        @Override
        public String toString() {
            return "line " + line + ": mmctl " + String.join(" ", args) + " (expected exit " + exit + ")";
        }
    }

    /** Each document gets a fresh stack: the tutorial starts from nothing registered, as a new user does. */
    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/tutorial.md"})
    void everyMmctlCommandOfTheDocumentDoesWhatItsCommentSays(String document, @TempDir Path home)
            throws IOException {
        List<Command> commands = commands(Files.readString(Path.of("..").resolve(document)));
        assertTrue(commands.size() >= 20, document + "'s examples were found: " + commands);
        try (LocalStack stack = LocalStack.start(home)) {
            for (Command c : commands) {
                if (PROVIDED_BY_THE_TEST.contains(c.args().get(0))) {
                    continue;
                }
                Result r = stack.mmctl(c.args().stream().map(ReadmeCommandsTest::fromRepository)
                        .toArray(String[]::new));
                assertEquals(c.exit(), r.code(), document + ", " + c + "\n" + r);
            }
        }
    }

    @Test
    void theParserReadsWhatAShellWould() {
        String md = String.join("\n",
                "text `mmctl not-code`",
                "```bash",
                "mmctl register iris --file fixtures/models/iris.onnx \\",
                "      --features a,b   # first version # not a second comment",
                "mmctl predict iris --input '{\"inputs\": [1, 2]}'; mmctl list -o json && mmctl status",
                "mmctl diff -f x.yaml    # what would change (exit 1 when something would)",
                "curl -s localhost:8000/x",
                "mmctl ab iris --arm \"1.0.0=50\" --arm 1.1.0=50 # sticky",
                "```",
                "```python",
                "mmctl list",
                "```");
        List<Command> got = commands(md);
        assertEquals(List.of(
                new Command(3, List.of("register", "iris", "--file", "fixtures/models/iris.onnx", "--features",
                        "a,b"), 0),
                new Command(5, List.of("predict", "iris", "--input", "{\"inputs\": [1, 2]}"), 0),
                new Command(5, List.of("list", "-o", "json"), 0),
                new Command(5, List.of("status"), 0),
                new Command(6, List.of("diff", "-f", "x.yaml"), 1),
                new Command(8, List.of("ab", "iris", "--arm", "1.0.0=50", "--arm", "1.1.0=50"), 0)), got);
        assertEquals("../fixtures/models/iris.onnx", fromRepository("fixtures/models/iris.onnx"));
        assertEquals("iris", fromRepository("iris"));
        assertThrows(IllegalArgumentException.class, () -> commands("```bash\nmmctl predict $MODEL\n```"));
        assertTrue(commands("```bash\nprintf '%s' \"$(cat f)\" > g; curl -H @$HOME/h x\n```").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> commands("```bash\nmmctl predict 'iris\n```"));
        assertFalse(commands("```bash\nmmctl list # x\n```").isEmpty());
    }

    /** The mmctl commands of the bash blocks of a markdown text, in order. */
    static List<Command> commands(String markdown) {
        List<Command> out = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inBash = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                inBash = !inBash && line.strip().equals("```bash");
                continue;
            }
            if (!inBash) {
                continue;
            }
            int first = i + 1;
            StringBuilder logical = new StringBuilder();
            while (line.endsWith("\\") && i + 1 < lines.length) {
                logical.append(line, 0, line.length() - 1).append(' ');
                line = lines[++i];
            }
            logical.append(line);
            parseLine(first, logical.toString(), out);
        }
        return out;
    }

    /** Splits one logical shell line at ; and && (outside quotes), drops its comment, keeps the mmctl commands. */
    private static void parseLine(int lineNo, String line, List<Command> out) {
        List<List<String>> parts = new ArrayList<>();
        List<String> words = new ArrayList<>();
        Set<List<String>> withVariables = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        StringBuilder word = null;
        String comment = "";
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("line " + lineNo + ": unterminated quote: " + line);
                }
                String quoted = line.substring(i + 1, end);
                if (c == '"' && quoted.contains("$")) {
                    withVariables.add(words);
                }
                word = (word == null ? new StringBuilder() : word).append(quoted);
                i = end + 1;
            } else if (Character.isWhitespace(c) || c == ';' || (c == '&' && line.startsWith("&&", i))) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                if (c == ';' || c == '&') {
                    parts.add(words);
                    words = new ArrayList<>();
                }
                i += c == '&' ? 2 : 1;
            } else if (c == '#' && word == null) {
                comment = line.substring(i);
                break;
            } else {
                if (c == '$') {
                    withVariables.add(words);
                }
                word = (word == null ? new StringBuilder() : word).append(c);
                i++;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        parts.add(words);
        Matcher m = EXPECTED_EXIT.matcher(comment);
        int exit = m.find() ? Integer.parseInt(m.group(1)) : 0;
        for (List<String> p : parts) {
            if (p.size() > 1 && p.get(0).equals("mmctl")) {
                if (withVariables.contains(p)) {
                    throw new IllegalArgumentException("line " + lineNo + ": an mmctl command with a shell "
                            + "variable, which this test cannot expand: " + line);
                }
                out.add(new Command(lineNo, List.copyOf(p.subList(1, p.size())), exit));
            }
        }
    }

    /** Paths in the documents are relative to the repository; this test runs in cli/. */
    static String fromRepository(String arg) {
        return REPOSITORY_DIRS.stream().anyMatch(arg::startsWith) ? "../" + arg : arg;
    }
}
