package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ShadowRequest;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmctl shadow NAME --version V [--percent P]} and {@code mmctl shadow NAME --stop}; the comparison is
 * {@code mmctl shadow status NAME} ({@link ShadowStatusCommand}).
 */
@Command(name = "shadow", header = "Mirror a model's requests to a shadow version and compare its answers.",
        description = {"Users always get the stable version's answer with unchanged latency; --percent of the "
                + "requests (default 100) are also sent, asynchronously, to the shadow version. The platform compares "
                + "the answers (label agreement, numeric differences, latency) and keeps sampled diffs: see "
                + "'mmctl shadow status NAME'. --stop removes the shadow; with no shadow running it says there "
                + "is nothing to stop and exits 0.", ""},
        subcommands = ShadowStatusCommand.class, synopsisSubcommandLabel = "[status]")
public final class ShadowCommand extends ClientCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--version", paramLabel = "X.Y.Z", description = "The shadow version, or an alias (@challenger).")
    String version;

    @Option(names = "--percent", paramLabel = "P", description = "Share of requests mirrored, 1..100 (default 100).")
    Integer percent;

    @Option(names = "--allow-schema-change", description = "Start it although its input (feature names, row width) "
            + "differs from the stable version's; refused otherwise, the difference shown.")
    boolean allowSchemaChange;

    @Option(names = "--stop", description = "Remove the model's shadow.")
    boolean stop;

    @Override
    public Integer call() {
        if (name == null) {
            throw usage("missing NAME: mmctl shadow NAME --version V, mmctl shadow NAME --stop or "
                    + "mmctl shadow status NAME");
        }
        DeploymentStatus d;
        if (stop) {
            if (version != null || percent != null) {
                throw usage("--stop takes no --version or --percent");
            }
            ModelMeshClient client = client();
            try {
                d = client.stopShadow(name);
            } catch (ModelMeshException.ConflictException e) {
                if (hasShadow(client)) {
                    throw e;
                }
                printer().note("nothing to stop: model '" + name + "' runs no shadow");
                return ExitCodes.OK;
            }
        } else {
            if (version == null) {
                throw usage("missing --version (or --stop)");
            }
            if (percent != null && (percent < 1 || percent > 100)) {
                throw usage("--percent must be 1..100, got " + percent);
            }
            d = client().shadow(new ShadowRequest(name, version, percent,
                    allowSchemaChange ? Boolean.TRUE : null));
        }
        printer().print(d, DeployCommand::table);
        return ExitCodes.OK;
    }

    /** Whether the model's current route mirrors to a shadow (404: an unknown model, reported as such). */
    private boolean hasShadow(ModelMeshClient client) {
        DeploymentStatus current;
        try {
            current = client.deployment(name);
        } catch (ModelMeshException.NotFoundException e) {
            client.model(name); // 404 "not registered" for an unknown model; a registered one has no deployment yet
            return false;
        }
        return current.route() != null
                && current.route().targets().stream().anyMatch(t -> t.role() == RouteTarget.Role.SHADOW);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
