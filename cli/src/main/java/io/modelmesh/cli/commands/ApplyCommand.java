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

/** {@code mmctl apply -f FILE|DIR|-}: make the models' deployments what the manifests say. */
@Command(name = "apply", header = "Apply deployment manifests (idempotent, all or nothing).",
        description = {"Sends every manifest to the control plane, which validates all of them first and writes the "
                + "changed ones as new revisions in one transaction: either every manifest is applied or none is. "
                + "Applying the same manifests again changes nothing. Invalid manifests are listed on stderr as "
                + "FILE:LINE:COLUMN: FIELD: MESSAGE and the command exits 2. The format: manifests/README.md.", ""})
public final class ApplyCommand extends ManifestCommand {

    @Override
    public Integer call() {
        ApplyResult result = send(false);
        if (result == null) {
            return ExitCodes.INVALID_INPUT;
        }
        printer().print(result, ApplyCommand::table);
        for (ManifestChange c : result.changes()) {
            if (c.revision() != null && c.nodesAcked() < c.nodesTotal()) {
                printer().warn(c.model() + ": " + (c.nodesTotal() - c.nodesAcked()) + " node(s) have not acknowledged "
                        + "revision " + c.revision() + " yet; they catch up on their next heartbeat");
            }
        }
        return ExitCodes.OK;
    }

    /** {@code iris: configured (revision 12, 2/2 nodes)} per manifest, its diff lines indented below. */
    public static List<Block> table(ApplyResult r) {
        List<Object> lines = new ArrayList<>();
        for (ManifestChange c : r.changes()) {
            lines.add(headline(c));
            c.diff().forEach(d -> lines.add("  " + d));
            c.errors().forEach(e -> lines.add(Cell.bad("  " + e)));
        }
        return lines.isEmpty() ? List.of() : List.of(new Lines(lines));
    }

    private static Object headline(ManifestChange c) {
        String action = c.action() == null ? "?" : c.action();
        if (c.revision() == null) {
            return action.equals("unchanged") ? Cell.dim(c.model() + ": unchanged") : c.model() + ": " + action;
        }
        String text = c.model() + ": " + action + " (revision " + c.revision() + ", " + c.nodesAcked() + "/"
                + c.nodesTotal() + " nodes)";
        return c.nodesTotal() > 0 && c.nodesAcked() == c.nodesTotal() ? Cell.good(text) : Cell.warn(text);
    }
}
