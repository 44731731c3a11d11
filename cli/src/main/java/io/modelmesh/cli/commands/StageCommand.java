package io.modelmesh.cli.commands;

import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.Stage;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Details;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mmctl stage set MODEL VERSION STAGE}: a version's stage (staging, production, archived). */
@Command(name = "stage", header = "Set a version's stage: staging, production or archived.",
        description = {"Every version carries a stage, shown by mmctl versions. A registered version starts as "
                + "staging; rollouts move stages on their own: the version that becomes the stable version (deploy, "
                + "promote, rollback) or an A/B arm is production, the production version it replaces archived. A "
                + "stage set by hand labels the version and never moves traffic (use mmctl deploy for that); a "
                + "version serving live traffic cannot be archived.", ""},
        subcommands = {StageCommand.Set.class}, synopsisSubcommandLabel = "set")
public final class StageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: mmctl stage set MODEL "
                + "VERSION STAGE");
    }

    /** Candidates for STAGE completion and help. */
    static final class Stages extends ArrayList<String> {
        Stages() {
            super(Arrays.stream(Stage.values()).map(Stage::wireName).toList());
        }
    }

    /** Reads a stage by its wire name. */
    static final class StageConverter implements CommandLine.ITypeConverter<Stage> {
        @Override
        public Stage convert(String value) {
            try {
                return Stage.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Command(name = "set", header = "Set the stage of a version.",
            description = {"Example: mmctl stage set iris 1.1.0 production", ""})
    public static final class Set extends ClientCommand {
        @Parameters(index = "0", paramLabel = "MODEL", description = "The registered model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "A registered version, or an alias (@champion).")
        String version;

        @Parameters(index = "2", paramLabel = "STAGE", converter = StageConverter.class,
                completionCandidates = Stages.class, description = "One of ${COMPLETION-CANDIDATES}.")
        Stage stage;

        @Override
        public Integer call() {
            ModelVersion v = client().setStage(model, version, stage);
            printer().print(v, x -> List.of(Details.builder().add("model", x.model()).add("version", x.version())
                    .add("stage", x.stage() == null ? "-" : x.stage().wireName()).build()));
            return ExitCodes.OK;
        }
    }
}
