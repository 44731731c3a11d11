package io.modelmesh.cli.commands;

import io.modelmesh.api.DriftReport;
import io.modelmesh.api.FeatureDrift;
import io.modelmesh.api.VersionDrift;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Lines;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code mmctl drift NAME}: per version and feature, the current window of inputs against the reference. */
@Command(name = "drift", header = "Show whether a model's inputs drifted from each version's reference.",
        description = {"Nodes sample the rows each version serves; the control plane compares each version's last "
                + "window of rows with its reference (rows given with 'mmctl register --reference', else the first "
                + "window it served): PSI over 10 quantile bins and the two-sample Kolmogorov-Smirnov test per "
                + "feature. A feature drifts when PSI > 0.2 or the KS p-value < 0.05 / number of features. The "
                + "window is the model's spec.drift.window ('mmctl deploy --drift-window N', default 1000 rows). "
                + "Exit 3 when the model is not registered.", ""})
public final class DriftCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Override
    public Integer call() {
        printer().print(client().drift(name), DriftCommand::table);
        return ExitCodes.OK;
    }

    public static List<Block> table(DriftReport r) {
        List<Block> blocks = new ArrayList<>();
        if (r.versions().isEmpty()) {
            blocks.add(new Lines(List.of(Cell.dim(r.model() + " has no deployed version and no drift reference yet"))));
            return blocks;
        }
        for (VersionDrift v : r.versions()) {
            blocks.add(Details.builder()
                    .add("version", v.version() + (v.role() == null ? " (not routed)"
                            : " (" + v.role().name().toLowerCase(Locale.ROOT) + ")"))
                    .add("state", state(v))
                    .add("reference", reference(v))
                    .add("window", v.currentRows() + " of " + v.window() + " rows")
                    .add("rows", v.rowsReceived() + " sampled of " + v.rowsServed() + " served"
                            + (v.rowsDropped() == 0 ? "" : " (" + v.rowsDropped() + " dropped: node queue full)"))
                    .add("evaluated", v.evaluatedAt() == null ? null : Format.instant(v.evaluatedAt()))
                    .build());
            if (!v.features().isEmpty()) {
                Table.Builder t = Table.of("FEATURE", "PSI", "KS D", "KS P", "DRIFTED");
                for (FeatureDrift f : v.features()) {
                    t.row(f.feature(), psi(f.psi(), v.psiThreshold()), String.format(Locale.ROOT, "%.3f",
                            f.ksStatistic()), p(f.ksPValue(), v.ksPThreshold()),
                            f.drifted() ? Cell.bad("yes") : Cell.good("no"));
                }
                blocks.add(t.build());
            }
        }
        return blocks;
    }

    private static Object state(VersionDrift v) {
        return switch (v.state() == null ? "" : v.state()) {
            case "evaluated" -> v.drifted() ? Cell.bad("DRIFTED (PSI > " + v.psiThreshold() + " or KS p < "
                    + p(v.ksPThreshold()) + ")") : Cell.good("no drift");
            case "filling_window" -> Cell.dim("filling the window (" + v.currentRows() + " of " + v.window()
                    + " rows)");
            case "collecting_reference" -> Cell.dim("collecting the reference from served rows ("
                    + v.referenceRows() + " of " + v.window() + ")");
            case "no_features" -> Cell.dim("not followed: the input has no columns drift can follow");
            default -> v.state();
        };
    }

    private static String reference(VersionDrift v) {
        if (v.referenceSource() == null) {
            return null;
        }
        return v.referenceRows() + " rows " + ("file".equals(v.referenceSource()) ? "from the registration's file"
                : "first served");
    }

    private static Object psi(double psi, double threshold) {
        String text = String.format(Locale.ROOT, "%.3f", psi);
        return psi > threshold ? Cell.bad(text) : text;
    }

    private static Object p(double p, double threshold) {
        String text = p(p);
        return p < threshold ? Cell.bad(text) : text;
    }

    /** Three significant digits: 0.812, 0.0125, 3.2e-07. */
    static String p(double p) {
        return p >= 0.001 ? String.format(Locale.ROOT, "%.3g", p).replaceAll("(\\.\\d*?)0+$", "$1")
                .replaceAll("\\.$", "") : String.format(Locale.ROOT, "%.2g", p);
    }
}
