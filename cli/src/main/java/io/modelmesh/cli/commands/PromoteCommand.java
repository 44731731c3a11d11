package io.modelmesh.cli.commands;

import io.modelmesh.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmctl promote NAME}: the running canary becomes the stable version at 100 %. */
@Command(name = "promote", header = "Promote a model's running canary to 100%% of traffic.",
        description = {"Exits 3 when the model has no running canary.", ""})
public final class PromoteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--dry-run", description = "Say which canary would be promoted; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (dryRun) {
            printer().print(DryRun.promote(client(), name), DryRun::table);
            return ExitCodes.OK;
        }
        printer().print(client().promote(name), CanaryCommand::table);
        return ExitCodes.OK;
    }
}
