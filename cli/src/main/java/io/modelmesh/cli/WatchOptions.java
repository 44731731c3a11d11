package io.modelmesh.cli;

import io.modelmesh.cli.output.OutputFormat;
import org.fusesource.jansi.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * Mixin: {@code -w/--watch} (with {@code --interval}, {@code --count}) for commands that show a state that changes
 * ({@code status}, {@code history}). On a terminal with a table the view is redrawn in place (jansi's erase and
 * cursor-home escapes) under a line saying when; piped, or as JSON/YAML, each refresh is printed after the last, so
 * a script reads one document per refresh.
 */
public final class WatchOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-w", "--watch"}, description = "Refresh every --interval until Ctrl-C (or --count times).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.Converter.class,
            description = "With --watch: time between refreshes, e.g. 2s or 500ms (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--count", paramLabel = "N", description = "With --watch: refresh N times, then exit.")
    Integer count;

    /**
     * Runs {@code once} once, or with --watch repeatedly; returns the exit code of the last run.
     *
     * @param format   the command's -o (redrawing in place only for a table on a terminal)
     * @param terminal whether stdout is a terminal
     */
    public int repeat(OutputFormat format, boolean terminal, Callable<Integer> once) throws Exception {
        if (!watch) {
            if (count != null) {
                throw new ParameterException(spec.commandLine(), "--count goes with --watch");
            }
            return once.call();
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--interval must be positive");
        }
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be 1 or more");
        }
        boolean inPlace = format.forPeople() && terminal;
        PrintWriter out = spec.commandLine().getOut();
        int times = count == null ? Integer.MAX_VALUE : count;
        int code = ExitCodes.OK;
        for (int i = 0; i < times; i++) {
            if (i > 0) {
                Thread.sleep(interval.toMillis());
                if (!inPlace && format.forPeople()) {
                    out.println();
                }
            }
            if (inPlace) {
                out.print(Ansi.ansi().cursor(1, 1).eraseScreen().toString());
                out.println("every " + Durations.format(interval) + ", at "
                        + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (Ctrl-C to stop)");
                out.println();
                out.flush();
            }
            code = once.call();
        }
        return code;
    }
}
