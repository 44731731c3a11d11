package io.modelmesh.cli.output;

import io.modelmesh.cli.Cli;
import io.modelmesh.cli.ClientFactory;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The colour decision with a made-up environment and terminal flag (https://no-color.org, bixense.com/clicolors). */
class ColorsTest {
    private static boolean on(Map<String, String> env, boolean tty) {
        return Colors.decide(env, tty).enabled();
    }

    @Test
    void onATerminalOnlyByDefault() {
        assertTrue(on(Map.of(), true));
        assertFalse(on(Map.of(), false), "a pipe or a file gets no escapes");
    }

    @Test
    void noColorTurnsThemOffWhenSetToAnything() {
        assertFalse(on(Map.of("NO_COLOR", "1"), true));
        assertFalse(on(Map.of("NO_COLOR", "0"), true), "any non-empty value counts, even 0");
        assertTrue(on(Map.of("NO_COLOR", ""), true), "an empty NO_COLOR is as if unset");
        assertFalse(on(Map.of("NO_COLOR", "1", "CLICOLOR_FORCE", "1"), true), "NO_COLOR beats CLICOLOR_FORCE");
    }

    @Test
    void clicolorZeroTurnsThemOff() {
        assertFalse(on(Map.of("CLICOLOR", "0"), true));
        assertTrue(on(Map.of("CLICOLOR", "1"), true));
        assertFalse(on(Map.of("CLICOLOR", "1"), false), "CLICOLOR=1 only allows them on a terminal");
    }

    @Test
    void clicolorForceColoursEvenAPipe() {
        assertTrue(on(Map.of("CLICOLOR_FORCE", "1"), false));
        assertTrue(on(Map.of("CLICOLOR_FORCE", "yes", "CLICOLOR", "0"), false), "force wins over CLICOLOR=0");
        assertFalse(on(Map.of("CLICOLOR_FORCE", "0"), false), "CLICOLOR_FORCE=0 forces nothing");
        assertFalse(on(Map.of("CLICOLOR_FORCE", ""), false));
    }

    @Test
    void dumbTerminalGetsNone() {
        assertFalse(on(Map.of("TERM", "dumb"), true));
        assertTrue(on(Map.of("TERM", "xterm-256color"), true));
    }

    @Test
    void neverForJsonOrYaml() {
        Colors c = Colors.decide(Map.of("CLICOLOR_FORCE", "1"), true);
        assertSame(Colors.ON, c.forFormat(OutputFormat.TABLE));
        assertSame(Colors.OFF, c.forFormat(OutputFormat.JSON));
        assertSame(Colors.OFF, c.forFormat(OutputFormat.YAML));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Printer p = new Printer(new PrintWriter(out), new PrintWriter(err), OutputFormat.YAML, Colors.ON);
        p.print(Map.of("state", "ROLLED_BACK"),
                m -> List.of(Table.of("STATE").row(Cell.status("ROLLED_BACK")).build()));
        p.warn("careful");
        assertFalse(out.toString().contains("\u001B"), out.toString());
        assertEquals("warning: careful\n", err.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void escapesComeFromOnePlace() {
        assertEquals("\u001B[32mLIVE\u001B[m", Colors.ON.status("LIVE"));
        assertEquals("\u001B[31mROLLED_BACK\u001B[m", Colors.ON.status("ROLLED_BACK"));
        assertEquals("\u001B[33mRUNNING\u001B[m", Colors.ON.status("RUNNING"));
        assertTrue(Colors.ON.error("error: x").contains("31"), "errors are red");
        assertTrue(Colors.ON.header("NAME").startsWith("\u001B[1m"), "headers are bold");
        assertEquals("LIVE", Colors.OFF.status("LIVE"));
        assertEquals("error: x", Colors.OFF.error("error: x"));
    }

    @Test
    void statusWordsHaveTheToneOfTheirMeaning() {
        for (String w : List.of("healthy", "UP", "LIVE", "PROMOTED", "succeeded", "started")) {
            assertEquals(Cell.Tone.GOOD, Colors.toneOf(w), w);
        }
        for (String w : List.of("rolled back", "ROLLED_BACK", "failed", "FAILED", "ABORTED", "DEAD", "DOWN",
                "unhealthy")) {
            assertEquals(Cell.Tone.BAD, Colors.toneOf(w), w);
        }
        for (String w : List.of("RUNNING", "pending", "DRAINING")) {
            assertEquals(Cell.Tone.WARN, Colors.toneOf(w), w);
        }
        assertEquals(Cell.Tone.DIM, Colors.toneOf("something else"));
        assertEquals(Cell.Tone.DIM, Colors.toneOf(null));
    }

    @Test
    void theCommandLineAsksTheSameDecision() {
        Cli.Result forced = Cli.run(ClientFactory.standard(), Map.of("CLICOLOR_FORCE", "1"), "deploy");
        assertTrue(forced.err().startsWith("\u001B["), forced.toString());
        assertTrue(forced.err().contains("error: Missing required"), forced.toString());
        Cli.Result plain = Cli.run(ClientFactory.standard(), Map.of("CLICOLOR_FORCE", "1", "NO_COLOR", "1"), "deploy");
        assertFalse(plain.err().contains("\u001B"), plain.toString());
        assertTrue(plain.err().startsWith("error: Missing required"), plain.toString());
    }
}
