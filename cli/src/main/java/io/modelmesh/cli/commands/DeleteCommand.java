package io.modelmesh.cli.commands;

import io.modelmesh.api.ModelDeletion;
import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;

/** {@code mmctl delete NAME [--version V]}: a version, or the whole model, that serves no traffic. */
@Command(name = "delete", header = "Delete a model version, or a whole model, that serves no traffic.",
        description = {"With --version, deletes that version; without, the model with all its versions, its deployment "
                + "history, rollouts and shadow comparisons. Stored files no remaining version uses are deleted too. "
                + "Refused (exit 4) while a version serves traffic in any role: deploy another version, or take the "
                + "model off with 'mmctl undeploy NAME', first. On a terminal it asks before deleting unless --yes; "
                + "without a terminal (a script) it refuses (exit 2) unless --yes.",
                ""})
public final class DeleteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--version", paramLabel = "X.Y.Z", description = "Delete only this version.")
    String version;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (required without a terminal).")
    boolean yes;

    @Option(names = "--ignore-not-found", description = "Exit 0 when the model or version does not exist.")
    boolean ignoreNotFound;

    @Override
    public Integer call() {
        Printer printer = printer();
        CliEnvironment.Prompt prompt = root().env().prompt();
        if (!yes && prompt == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "refusing to delete without a terminal to "
                    + "confirm on: a script says so with --yes (mmctl delete " + name
                    + (version == null ? "" : " --version " + version) + " --yes)");
        }
        if (!yes && !confirmed(prompt)) {
            printer.note("nothing deleted");
            return ExitCodes.FAILURE;
        }
        ModelDeletion d;
        try {
            d = client().delete(name, version);
        } catch (ModelMeshException.NotFoundException e) {
            if (!ignoreNotFound) {
                throw e;
            }
            printer.note("nothing to delete: " + e.getMessage());
            return ExitCodes.OK;
        }
        printer.print(d, DeleteCommand::details);
        return ExitCodes.OK;
    }

    /** Asks the person at the terminal. */
    private boolean confirmed(CliEnvironment.Prompt prompt) {
        String what = version == null ? "model '" + name + "' with all its versions and its history"
                : "version " + version + " of model '" + name + "'";
        String answer = prompt.ask("Delete " + what + "? [y/N] ");
        return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
    }

    static List<Block> details(ModelDeletion d) {
        return List.of(Details.builder()
                .add("deleted", d.modelGone() ? "model " + d.model() : "version of " + d.model())
                .add("versions", String.join(", ", d.versions()))
                .add("files", d.artifacts().size() + " (" + d.bytesFreed() + " bytes freed)")
                .build());
    }
}
