package io.modelmesh.cli.commands;

import io.modelmesh.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmctl rollback NAME [--to REV]}: back to an earlier traffic split, written as a new revision. */
@Command(name = "rollback", header = "Roll a model back (to a revision, or its running canary, or one revision).",
        description = {"With --to REV: restore that revision's traffic split and settings as a new revision (see "
                + "'mmctl history NAME'). Without: put the running canary back to 0%%, or when there is none, go back "
                + "to the revision before the current one (exit 4 when there is none).", ""})
public final class RollbackCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--to", paramLabel = "REV", description = "The revision to restore.")
    Long toRevision;

    @Option(names = "--dry-run", description = "Say what the rollback would restore; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (dryRun) {
            printer().print(DryRun.rollback(client(), name, toRevision), DryRun::table);
            return ExitCodes.OK;
        }
        printer().print(client().rollback(name, toRevision), DeployCommand::table);
        return ExitCodes.OK;
    }
}
