package io.modelmesh.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command's --help renders without a picocli warning: picocli formats descriptions with String.format, so a
 * bare {@code %} ("5%") prints "[picocli WARN] Could not format ..." on stderr (issue 15, item 8).
 */
class HelpTextsTest {

    @Test
    void everyCommandsHelpRendersWithoutAPicocliWarning() {
        List<List<String>> paths = new ArrayList<>();
        collect(MmCtl.commandLine(ClientFactory.standard()), new ArrayList<>(), paths);
        assertTrue(paths.size() > 20, "all commands were found: " + paths);
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        try {
            for (List<String> path : paths) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                captured.reset();
                Cli.Result r = Cli.run(ClientFactory.standard(), Map.of(), args.toArray(String[]::new));
                String stderr = captured.toString(StandardCharsets.UTF_8) + r.err();
                if (r.code() != 0 || stderr.contains("picocli WARN") || r.out().contains("picocli WARN")
                        || r.out().isBlank()) {
                    problems.add(String.join(" ", path) + ": " + r + stderr);
                }
            }
        } finally {
            System.setErr(saved);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void percentSignsInHelpAreShownAsTyped() {
        Cli.Result r = Cli.run("canary", "--help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("error rate 5%"), r.out());
        assertFalse(r.out().contains("%%"), r.out());
    }

    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
        out.add(List.copyOf(prefix));
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // aliases map to the same command
                List<String> p = new ArrayList<>(prefix);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }
}
