package io.modelmesh.cli.commands;

import io.modelmesh.api.ShadowReport;
import io.modelmesh.api.ShadowSample;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code mmctl shadow status NAME [--samples N]}: how the shadow's answers compare with the ones users got. */
@Command(name = "status", header = "Show a model's shadow comparison and its latest sampled diffs.",
        description = {"Counts since the shadow started (mirrored, dropped because the queue was full, failed, "
                + "compared), the label agreement rate, mean and max absolute difference of numeric outputs, the mean "
                + "latency delta (shadow minus primary), then the latest samples. Exit 3 when the model never had a "
                + "shadow.", ""})
public final class ShadowStatusCommand extends ClientCommand {
    private static final int CELL = 48;

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10",
            description = "How many of the latest sampled diffs to show (default: ${DEFAULT-VALUE}).")
    int samples;

    @Override
    public Integer call() {
        if (samples < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--samples must be 0 or more");
        }
        printer().print(client().shadowReport(name, samples), ShadowStatusCommand::table);
        return ExitCodes.OK;
    }

    public static List<Block> table(ShadowReport r) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(Details.builder()
                .add("model", r.model())
                .add("shadow", r.shadowVersion() + " compared with " + r.primaryVersion())
                .add("state", r.active() ? Cell.good("active") : Cell.dim("stopped"))
                .add("since", Format.instant(r.since()))
                .add("mirrored", r.mirrored())
                .add("dropped", r.dropped() == 0 ? "0" : Cell.warn(r.dropped() + " (queue full)"))
                .add("failed", r.failed() == 0 ? "0" : Cell.bad(Long.toString(r.failed())))
                .add("compared", r.compared())
                .add("label agreement", r.labelAgreementRate() == null ? null
                        : CanaryCommand.percent(r.labelAgreementRate()))
                .add("mean abs diff", decimal(r.meanAbsDiff()))
                .add("max abs diff", decimal(r.maxAbsDiff()))
                .add("latency delta", r.meanLatencyDeltaMs() == null ? null : signed(r.meanLatencyDeltaMs()) + " ms")
                .build());
        if (!r.samples().isEmpty()) {
            Table.Builder t = Table.of("AT", "REQUEST", "LABELS", "MAX DIFF", "PRIMARY MS", "SHADOW MS", "PRIMARY",
                    "SHADOW");
            for (ShadowSample s : r.samples()) {
                t.row(Format.instant(s.at()), s.requestId(), labels(s.labelsAgree()),
                        Double.isNaN(s.maxAbsDiff()) ? null : decimal(s.maxAbsDiff()), CanaryCommand.number(s.primaryMs()),
                        CanaryCommand.number(s.shadowMs()), cut(s.primaryOutput()),
                        s.shadowError() != null ? Cell.bad(cut("error: " + s.shadowError())) : cut(s.shadowOutput()));
            }
            blocks.add(t.build());
        }
        return blocks;
    }

    private static Object labels(Boolean agree) {
        return agree == null ? null : agree ? "agree" : Cell.warn("differ");
    }

    /** Four significant decimals: differences of probabilities read well that way. */
    static String decimal(Double v) {
        return v == null ? null : String.format(java.util.Locale.ROOT, "%.4f", v);
    }

    private static String signed(double ms) {
        return (ms >= 0 ? "+" : "") + CanaryCommand.number(ms);
    }

    private static String cut(String s) {
        if (s == null) {
            return null;
        }
        String one = s.replace('\n', ' ');
        return one.length() <= CELL ? one : one.substring(0, CELL - 3) + "...";
    }
}
