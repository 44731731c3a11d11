package io.modelmesh.cli.commands;

import io.modelmesh.api.LatencyReport;
import io.modelmesh.api.LatencyWindow;
import io.modelmesh.api.VersionLatency;
import io.modelmesh.cli.Durations;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Lines;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code mmctl top}: every model's versions with requests, errors and latency over 1, 5 and 15 minutes. */
@Command(name = "top", header = "Show requests, errors and p50/p95/p99 latency of every model, refreshing.",
        description = {"One row per model version, merged over every node from their outcome reports: requests, "
                + "error rate and p50/p95/p99 over the last minute, and requests and p99 over the last 5 and 15 "
                + "minutes. On a terminal the view refreshes in place every --interval until Ctrl-C (or --count "
                + "refreshes); piped, or with -o json/yaml, it prints once (--count repeats it).", ""})
public final class TopCommand extends ClientCommand {
    /** Clears the screen and moves the cursor home (ANSI), before each refresh on a terminal. */
    static final String CLEAR = "\u001b[H\u001b[2J";

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", converter = Durations.Converter.class,
            description = "Time between refreshes, e.g. 2s or 500ms (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = {"-n", "--count"}, paramLabel = "N",
            description = "Refresh N times, then exit (default: until Ctrl-C on a terminal, once otherwise).")
    Integer count;

    @Override
    public Integer call() throws InterruptedException {
        if (interval.isZero() || interval.isNegative()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
        }
        if (count != null && count < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--count must be 1 or more");
        }
        Printer printer = printer();
        boolean live = printer.format().forPeople() && root().env().stdoutTerminal();
        int times = count != null ? count : live ? Integer.MAX_VALUE : 1;
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < times; i++) {
            if (i > 0) {
                Thread.sleep(interval.toMillis());
            }
            List<LatencyReport> reports = client().latency();
            if (live) {
                out.print(CLEAR);
                out.println("mmctl top: every " + Durations.format(interval) + ", at "
                        + Format.instant(reports.isEmpty() ? java.time.Instant.now() : reports.getFirst().at())
                        + " (Ctrl-C to stop)");
                out.println();
                out.flush();
            }
            printer.print(reports, TopCommand::table);
        }
        return ExitCodes.OK;
    }

    /** One row per model version; the 1-minute window in detail, the 5 and 15-minute ones in brief. */
    public static List<Block> table(List<LatencyReport> reports) {
        if (reports.stream().allMatch(r -> r.versions().isEmpty())) {
            return List.of(new Lines(List.of(Cell.dim("no model has been deployed or served in the last 15 "
                    + "minutes"))));
        }
        Table.Builder t = Table.of("MODEL", "VERSION", "ROLE", "REQ/1M", "ERR/1M", "P50", "P95", "P99", "REQ/5M",
                "P99/5M", "REQ/15M", "P99/15M");
        for (LatencyReport r : reports) {
            for (VersionLatency v : r.versions()) {
                List<Object> row = new ArrayList<>(List.of(r.model(), v.version(), role(v)));
                LatencyWindow one = window(v, 1);
                LatencyWindow five = window(v, 5);
                LatencyWindow fifteen = window(v, 15);
                row.add(one.requests());
                row.add(errors(one));
                row.add(ms(one.p50Ms()));
                row.add(ms(one.p95Ms()));
                row.add(ms(one.p99Ms()));
                row.add(five.requests());
                row.add(ms(five.p99Ms()));
                row.add(fifteen.requests());
                row.add(ms(fifteen.p99Ms()));
                t.row(row.toArray());
            }
        }
        return List.of(t.build());
    }

    private static Object role(VersionLatency v) {
        if (v.role() == null) {
            return Cell.dim("not routed");
        }
        String role = v.role().name().toLowerCase(Locale.ROOT);
        return v.weight() == null ? role : role + " " + v.weight() + "%";
    }

    private static LatencyWindow window(VersionLatency v, int minutes) {
        return v.windows().stream().filter(w -> w.minutes() == minutes).findFirst()
                .orElse(new LatencyWindow(minutes, 0, 0, 0, null, null, null));
    }

    private static Object errors(LatencyWindow w) {
        if (w.requests() == 0) {
            return null;
        }
        String text = CanaryCommand.number(w.errorRate() * 100) + "%";
        return w.errors() == 0 ? text : w.errorRate() >= 0.05 ? Cell.bad(text) : Cell.warn(text);
    }

    /** {@code 1.2 ms}, {@code 0.01 ms}; null (no requests) renders "-". */
    static String ms(Double v) {
        if (v == null) {
            return null;
        }
        return (v < 0.1 ? String.format(Locale.ROOT, "%.3f", v) : v < 10 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.0f", v)) + " ms";
    }
}
