package io.modelmesh.cli.commands;

import io.modelmesh.api.ModelAlias;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code mmctl alias set|list|delete}: names pointing to one version of a model (like MLflow's aliases). */
@Command(name = "alias", header = "Set, list and delete aliases: names pointing to one version of a model.",
        description = {"An alias names a version wherever one is expected: mmctl deploy iris --version @champion, "
                + "mmctl canary iris --version @challenger, a manifest's stable: \"@champion\", and predictions "
                + "(mmctl predict iris --version @champion, POST /predict/iris?version=@champion). Deploys and "
                + "manifests resolve an alias when they run (the revision records the version); predictions resolve "
                + "it on the node, from its routing table. Setting or deleting an alias needs a deploy token.", ""},
        subcommands = {AliasCommand.Set.class, AliasCommand.ListAliases.class, AliasCommand.Delete.class},
        synopsisSubcommandLabel = "(set | list | delete)")
public final class AliasCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: mmctl alias set MODEL ALIAS "
                + "VERSION, mmctl alias list [MODEL] or mmctl alias delete MODEL ALIAS");
    }

    @Command(name = "set", header = "Point an alias at a version (creating or moving it).",
            description = {"Example: mmctl alias set iris champion 1.1.0", ""})
    public static final class Set extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "A lower-case letter, then up to 63 lower-case "
                + "letters, digits, '-' and '_' (a leading @ is allowed).")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION", description = "A registered version, or another alias "
                + "(@champion).")
        String version;

        @Override
        public Integer call() {
            ModelAlias a = client().setAlias(model, alias, version);
            printer().print(a, x -> table(List.of(x)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", aliases = "ls", header = "List the aliases of a model, or of every model.")
    public static final class ListAliases extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "Only this model's aliases.")
        String model;

        @Override
        public Integer call() {
            List<ModelAlias> aliases = model == null ? client().aliases() : client().aliases(model);
            printer().print(aliases, AliasCommand::table);
            if (aliases.isEmpty()) {
                printer().note("no aliases" + (model == null ? "" : " for " + model) + "; set one with: mmctl alias "
                        + "set " + (model == null ? "MODEL" : model) + " champion X.Y.Z");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", aliases = "rm", header = "Delete an alias (deleting one that does not exist succeeds).")
    public static final class Delete extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias (a leading @ is allowed).")
        String alias;

        @Override
        public Integer call() {
            Optional<ModelAlias> removed = client().deleteAlias(model, alias);
            String name = alias.startsWith("@") ? alias : "@" + alias;
            printer().note(removed.map(a -> "alias " + name + " of " + model + " deleted (it named " + a.version()
                    + ")").orElse("alias " + name + " of " + model + " does not exist; nothing to delete"));
            return ExitCodes.OK;
        }
    }

    static List<Block> table(List<ModelAlias> aliases) {
        if (aliases.isEmpty()) {
            return List.of();
        }
        Table.Builder t = Table.of("MODEL", "ALIAS", "VERSION", "SET", "BY");
        for (ModelAlias a : aliases) {
            t.row(a.model(), "@" + a.alias(), a.version(), Format.instant(a.updatedAt()), a.updatedBy());
        }
        return List.of(t.build());
    }
}
