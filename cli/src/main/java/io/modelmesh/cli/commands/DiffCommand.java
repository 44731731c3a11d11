package io.modelmesh.cli.commands;

import io.modelmesh.api.ApplyResult;
import io.modelmesh.api.ManifestChange;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Lines;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code mmctl diff -f ...}: what {@code apply} would change, changing nothing. */
@Command(name = "diff", header = "Show what applying manifests would change (nothing is written).",
        description = {"Validates the manifests like apply and prints, per model, the changes applying them would "
                + "make (fields, then the traffic split before and after).",
                "Exit status, like diff(1) and kubectl diff: 0 when nothing would change, 1 when something would, "
                        + "2 or more on errors (2: invalid manifests, listed on stderr as FILE:LINE:COLUMN: FIELD: "
                        + "MESSAGE).", ""},
        exitCodeListHeading = "%nExit Codes:%n",
        exitCodeList = {"0:nothing would change", "1:something would change",
                "2:invalid manifests or options", "3-5:see mmctl --help"})
public final class DiffCommand extends ManifestCommand {
    /** Exit status when applying would change something. */
    public static final int CHANGES = 1;

    @Override
    public Integer call() {
        ApplyResult result = send(true);
        if (result == null) {
            return ExitCodes.INVALID_INPUT;
        }
        printer().print(result, DiffCommand::table);
        return changes(result) ? CHANGES : ExitCodes.OK;
    }

    static boolean changes(ApplyResult r) {
        return r.changes().stream().anyMatch(c -> !"unchanged".equals(c.action()));
    }

    /** {@code iris: would be configured (now revision 11)} per model, then its diff lines indented. */
    public static List<Block> table(ApplyResult r) {
        List<Object> lines = new ArrayList<>();
        for (ManifestChange c : r.changes()) {
            if ("unchanged".equals(c.action())) {
                lines.add(Cell.dim(c.model() + ": no changes"));
                continue;
            }
            lines.add(Cell.warn(c.model() + ": would be " + c.action()
                    + (c.fromRevision() == null ? " (not deployed yet)" : " (now revision " + c.fromRevision() + ")")));
            c.diff().forEach(d -> lines.add("  " + d));
        }
        return lines.isEmpty() ? List.of() : List.of(new Lines(lines));
    }
}
