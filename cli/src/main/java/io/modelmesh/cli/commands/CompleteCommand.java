package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.cli.ConnectionOptions;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.TokenSource;
import io.modelmesh.cli.config.CliConfig;
import io.modelmesh.cli.shell.ModelNames;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.RetryPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code mmctl __complete models|versions MODEL|revisions MODEL|contexts}: the names a completion script offers, one
 * a line, asked of the control plane with a short timeout. Hidden: the scripts call it. Whatever goes wrong (no
 * control plane, a slow one, no token, an unknown model) prints nothing and exits 0, so a Tab never shows an error.
 */
@Command(name = "__complete", hidden = true, header = "Names for the completion scripts (hidden).")
public final class CompleteCommand implements Callable<Integer> {
    /** How long a Tab waits for the control plane's answer; an unreachable one fails at once. */
    static final Duration TIMEOUT = Duration.ofMillis(1500);
    /** At most this many names are printed. */
    static final int MAX_NAMES = 500;

    @Spec
    CommandSpec spec;
    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "KIND", description =
            "models, versions (with the model's @aliases), revisions or contexts.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "MODEL", description = "The model, for versions and "
            + "revisions.")
    String model;

    @Override
    public Integer call() {
        MmCtl root = (MmCtl) spec.root().userObject();
        List<String> names;
        try {
            names = switch (kind) {
                case "contexts" -> CliConfig.load(root.env()).names();
                case "models", "versions", "revisions" -> fromControlPlane(root);
                default -> List.of();
            };
        } catch (RuntimeException e) { // unreachable, slow, refused, unknown model, unreadable config: no names
            names = List.of();
        }
        PrintWriter out = spec.commandLine().getOut();
        names.stream().limit(MAX_NAMES).forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * A model's versions and then its aliases as {@code @alias}, which every option naming a version accepts; a
     * control plane that lists no aliases (an older one, or a failure) leaves the versions alone.
     */
    private List<String> withAliases(List<String> versions, ModelMeshClient client) {
        List<String> names = new java.util.ArrayList<>(versions);
        try {
            client.aliases(model).forEach(a -> names.add("@" + a.alias()));
        } catch (RuntimeException e) {
            return versions;
        }
        return names;
    }

    /**
     * Asked through an SDK client of its own with a short request timeout and no retries (the command's usual client
     * waits a minute and retries): the timeout counts the network only, not the class loading of a cold JVM.
     */
    private List<String> fromControlPlane(MmCtl root) {
        if (!kind.equals("models") && (model == null || model.isBlank())) {
            return List.of();
        }
        ModelMeshClient.Builder b = ModelMeshClient.builder().controlPlanes(connection.controlPlanes())
                .token(TokenSource.resolve(connection.tokenFile(), root.env()).orElse(null))
                .timeout(TIMEOUT).retryPolicy(RetryPolicy.none());
        if (connection.tlsCa() != null) {
            b.trust(connection.tlsCa());
        }
        try (ModelMeshClient client = b.build()) {
            ModelNames.Source source = ShellCommand.sdkSource(() -> client);
            return switch (kind) {
                case "models" -> source.models();
                case "versions" -> withAliases(source.versions(model), client);
                default -> client.history(model).stream().map(DeploymentStatus::id).map(String::valueOf).toList();
            };
        }
    }
}
