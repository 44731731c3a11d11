package io.modelmesh.cli.commands;

import io.modelmesh.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mmctl undeploy NAME}: no version of the model serves traffic any more. */
@Command(name = "undeploy", header = "Take a model off every node: no version serves its traffic.",
        description = {"Writes a revision that routes the model to no version and pushes it to the nodes, which stop "
                + "serving it. Its versions stay registered: 'mmctl deploy NAME --version V' or 'mmctl rollback NAME' "
                + "serves it again, and 'mmctl delete NAME' can now delete it. Exit 4 when it serves no traffic "
                + "already.", ""})
public final class UndeployCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Override
    public Integer call() {
        printer().print(client().undeploy(name), DeployCommand::table);
        return ExitCodes.OK;
    }
}
