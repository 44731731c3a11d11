package io.modelmesh.cli.commands;

import io.modelmesh.api.AbArm;
import io.modelmesh.api.AbRequest;
import io.modelmesh.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code mmctl ab NAME --arm V=W --arm V=W [--sticky-key H]}: a sticky A/B split. */
@Command(name = "ab", header = "Split a model's traffic over sticky A/B arms.",
        description = {"Each --arm is VERSION=WEIGHT; the weights add to 100. A request carrying the sticky header "
                + "(--sticky-key, default X-User-Id) goes to the arm consistent hashing of its value picks, so a user "
                + "stays on one arm while the split is unchanged; requests without it are split at random by weight. "
                + "Per-arm statistics: 'mmctl status NAME'.", ""})
public final class AbCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--arm", required = true, paramLabel = "VERSION=WEIGHT", converter = ArmConverter.class,
            description = "An arm and its share in percent, 1..99, e.g. 1.0.0=50 (two or more).")
    List<AbArm> arms;

    @Option(names = "--sticky-key", paramLabel = "HEADER",
            description = "Request header whose value keeps a user on one arm (default: X-User-Id).")
    String stickyKey;

    @Option(names = "--allow-schema-change", description = "Start it although its input (feature names, row width) "
            + "differs between arms; refused otherwise, the difference shown.")
    boolean allowSchemaChange;

    @Override
    public Integer call() {
        if (arms.size() < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "an A/B split needs at least two --arm");
        }
        int sum = arms.stream().mapToInt(AbArm::weight).sum();
        if (sum != 100) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the --arm weights add to " + sum + "; they must add to 100");
        }
        printer().print(client().ab(new AbRequest(name, arms, stickyKey,
                allowSchemaChange ? Boolean.TRUE : null)), DeployCommand::table);
        return ExitCodes.OK;
    }

    /** {@code 1.0.0=50} to an arm. */
    static final class ArmConverter implements CommandLine.ITypeConverter<AbArm> {
        /** An arm's share, as manifests accept it: every arm takes some traffic and none takes all of it. */
        static final int MIN_WEIGHT = 1;
        static final int MAX_WEIGHT = 99;

        @Override
        public AbArm convert(String value) {
            int eq = value.lastIndexOf('=');
            if (eq > 0) {
                try {
                    int w = Integer.parseInt(value.substring(eq + 1).trim());
                    if (w >= MIN_WEIGHT && w <= MAX_WEIGHT) {
                        return new AbArm(value.substring(0, eq).trim(), w);
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not an arm: expected VERSION=WEIGHT "
                    + "with a weight of " + MIN_WEIGHT + ".." + MAX_WEIGHT + " (as in a manifest's spec.ab.arms), "
                    + "like 1.0.0=50");
        }
    }
}
