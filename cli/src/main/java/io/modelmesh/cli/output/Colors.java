package io.modelmesh.cli.output;

import org.fusesource.jansi.Ansi;

import java.util.Locale;
import java.util.Map;

/**
 * The one place that decides whether mmctl colours what it prints, and what each kind of text looks like. Commands,
 * the {@link Printer}, the error handler and the help ask it; nothing else writes escape sequences. The escapes come
 * from jansi.
 *
 * <p>The decision, first match wins:
 * <ol>
 *   <li>{@code NO_COLOR} set to a non-empty value: off (https://no-color.org);</li>
 *   <li>{@code CLICOLOR_FORCE} set to anything but {@code 0}: on, even into a pipe
 *       (https://bixense.com/clicolors);</li>
 *   <li>{@code CLICOLOR=0} or {@code TERM=dumb}: off;</li>
 *   <li>otherwise on exactly when stdout is a terminal.</li>
 * </ol>
 * Data meant for programs ({@code -o json}, {@code -o yaml}) never has colours: {@link #forFormat(OutputFormat)}.
 */
public final class Colors {
    public static final Colors ON = new Colors(true);
    public static final Colors OFF = new Colors(false);

    private final boolean enabled;

    private Colors(boolean enabled) {
        this.enabled = enabled;
    }

    /** Decides from the environment variables and whether stdout is a terminal (see the class comment). */
    public static Colors decide(Map<String, String> env, boolean stdoutTerminal) {
        if (nonEmpty(env.get("NO_COLOR"))) {
            return OFF;
        }
        String force = env.get("CLICOLOR_FORCE");
        if (nonEmpty(force) && !force.trim().equals("0")) {
            return ON;
        }
        String cli = env.get("CLICOLOR");
        if (cli != null && cli.trim().equals("0") || "dumb".equals(env.get("TERM"))) {
            return OFF;
        }
        return stdoutTerminal ? ON : OFF;
    }

    public static Colors of(boolean enabled) {
        return enabled ? ON : OFF;
    }

    public boolean enabled() {
        return enabled;
    }

    /** These colours for a table ({@code -o table}); none for JSON or YAML, whatever the terminal. */
    public Colors forFormat(OutputFormat format) {
        return format.forPeople() ? this : OFF;
    }

    /** Table headers and the keys of key/value blocks. */
    public String header(String text) {
        return enabled ? new Ansi().bold().a(text).reset().toString() : text;
    }

    /** The {@code error: ...} line on stderr. */
    public String error(String text) {
        return enabled ? new Ansi().bold().fgRed().a(text).reset().toString() : text;
    }

    /** The {@code warning:} prefix on stderr. */
    public String warning(String text) {
        return tone(Cell.Tone.WARN, text);
    }

    /** Text in the colour of its tone. */
    public String tone(Cell.Tone tone, String text) {
        if (!enabled) {
            return text;
        }
        Ansi a = new Ansi();
        switch (tone) {
            case GOOD -> a.fgGreen();
            case BAD -> a.fgRed();
            case WARN -> a.fgYellow();
            case DIM -> a.a(Ansi.Attribute.INTENSITY_FAINT);
        }
        return a.a(text).reset().toString();
    }

    /** A status word in the colour people expect of it. */
    public String status(String word) {
        return tone(toneOf(word), word);
    }

    /**
     * The tone of a state the platform reports (rollouts, nodes, servers, health, drift), case and separators
     * ignored: good for healthy/up/live/promoted/succeeded, bad for failed/rolled back/aborted/dead/down/unhealthy,
     * warn for work in progress (running, pending, draining, starting), dim for anything else.
     */
    public static Cell.Tone toneOf(String word) {
        String w = word == null ? "" : word.trim().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        return switch (w) {
            case "up", "ok", "healthy", "live", "ready", "started", "running ok", "promoted", "succeeded",
                 "completed", "done", "serving", "acked", "in sync", "no drift" -> Cell.Tone.GOOD;
            case "down", "dead", "unhealthy", "failed", "failure", "error", "rolled back", "aborted", "drifted",
                 "unreachable", "not ready", "refused" -> Cell.Tone.BAD;
            case "running", "pending", "starting", "draining", "stopping", "waiting", "paused", "degraded",
                 "stale", "behind" -> Cell.Tone.WARN;
            default -> Cell.Tone.DIM;
        };
    }

    private static boolean nonEmpty(String v) {
        return v != null && !v.isEmpty();
    }

    @Override
    public String toString() {
        return enabled ? "Colors.ON" : "Colors.OFF";
    }
}
