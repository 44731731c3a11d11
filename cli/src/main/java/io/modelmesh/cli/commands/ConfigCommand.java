package io.modelmesh.cli.commands;

import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.OutputOptions;
import io.modelmesh.cli.config.CliConfig;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/** {@code mmctl config ...}: the contexts of {@link CliConfig}, like {@code kubectl config}. */
@Command(name = "config", header = "Manage contexts: which control plane, and which token file, mmctl uses.",
        description = {"Contexts live in ~/.config/mmctl/config.yaml ($XDG_CONFIG_HOME/mmctl/config.yaml; env "
                + "MMCTL_CONFIG names another file). Every command takes --context NAME; without it the current "
                + "context applies. A setting comes from the first of: the command's option, --context, the "
                + "environment (MM_CONTROL_PLANE, MM_TOKEN, ...), the current context, the default. A context holds "
                + "the path of a token file, never a token.", ""},
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ConfigCommand.SetContext.class, ConfigCommand.UseContext.class,
                ConfigCommand.GetContexts.class, ConfigCommand.CurrentContext.class,
                ConfigCommand.DeleteContext.class})
public final class ConfigCommand implements Callable<Integer> {
    /** Context names: what a shell word and a YAML key hold without quoting. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.INVALID_INPUT;
    }

    private static CliEnvironment env(CommandSpec spec) {
        return ((MmCtl) spec.root().userObject()).env();
    }

    private static String checkedName(CommandSpec spec, String name) {
        if (!NAME.matcher(name).matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + name + "' is not a context name: "
                    + "1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    @Command(name = "set-context", header = "Add a context, or change the settings of one.",
            description = {"Options not given keep the context's earlier values. The first context added becomes "
                    + "the current one.", ""},
            footer = {"", "Example:", "  mmctl config set-context prod --control-plane https://mm.example:8080 "
                    + "--token-file ~/.config/mmctl/prod-token --tls-ca ca.pem"})
    static final class SetContext implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
        String name;

        @Option(names = "--control-plane", paramLabel = "URL[,URL...]", description = "Control-plane URL(s).")
        String controlPlane;

        @Option(names = "--token-file", paramLabel = "FILE",
                description = "File holding the token (kept as an absolute path; the token is read at each command).")
        Path tokenFile;

        @Option(names = "--data-plane", paramLabel = "URL[,URL...]", description = "Data-plane node URL(s).")
        String dataPlane;

        @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA bundle for https servers.")
        Path tlsCa;

        @Override
        public Integer call() {
            checkedName(spec, name);
            CliEnvironment env = env(spec);
            CliConfig config = CliConfig.load(env);
            CliConfig.Context old = config.context(name).orElse(null);
            String cp = controlPlane != null ? urls("--control-plane", controlPlane)
                    : old == null ? null : old.controlPlane();
            if (cp == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "a new context needs --control-plane URL");
            }
            CliConfig.Context c = new CliConfig.Context(name, cp,
                    tokenFile != null ? file("--token-file", tokenFile) : old == null ? null : old.tokenFile(),
                    dataPlane != null ? urls("--data-plane", dataPlane) : old == null ? null : old.dataPlane(),
                    tlsCa != null ? file("--tls-ca", tlsCa) : old == null ? null : old.tlsCa());
            CliConfig updated = config.with(c);
            boolean first = config.currentContext() == null;
            if (first) {
                updated = updated.withCurrent(name);
            }
            updated.save(env);
            Printer p = new Printer(spec.commandLine().getOut(), spec.commandLine().getErr(),
                    io.modelmesh.cli.output.OutputFormat.TABLE, env.colors());
            p.note((old == null ? "context '" + name + "' added" : "context '" + name + "' changed")
                    + (first ? " and made current" : "") + " in " + CliConfig.file(env));
            return ExitCodes.OK;
        }

        private String urls(String option, String value) {
            List<String> parts = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            for (String u : parts) {
                try {
                    URI uri = new URI(u);
                    if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                        continue;
                    }
                } catch (java.net.URISyntaxException ignored) {
                    // reported below
                }
                throw new CommandLine.ParameterException(spec.commandLine(), "invalid " + option + " '" + u
                        + "': expected an http(s) URL like http://127.0.0.1:8080");
            }
            if (parts.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + " needs a URL");
            }
            return String.join(",", parts);
        }

        private String file(String option, Path f) {
            Path abs = f.toAbsolutePath().normalize();
            if (!Files.isRegularFile(abs)) {
                new Printer(spec.commandLine().getOut(), spec.commandLine().getErr(),
                        io.modelmesh.cli.output.OutputFormat.TABLE, env(spec).colors())
                        .warn(option + " " + abs + " does not exist (yet); commands will fail until it does");
            }
            return abs.toString();
        }
    }

    @Command(name = "use-context", header = "Make a context the current one.")
    static final class UseContext implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
        String name;

        @Override
        public Integer call() {
            CliEnvironment env = env(spec);
            CliConfig config = CliConfig.load(env);
            config.require(name);
            config.withCurrent(name).save(env);
            spec.commandLine().getErr().println("switched to context '" + name + "'");
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "current-context", header = "Print the name of the current context.")
    static final class CurrentContext implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CliConfig config = CliConfig.load(env(spec));
            if (config.currentContext() == null) {
                throw new CliException(ExitCodes.NOT_FOUND, "no current context; set one with "
                        + "mmctl config use-context NAME (mmctl config get-contexts lists them)");
            }
            spec.commandLine().getOut().println(config.currentContext());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "get-contexts", header = "List the contexts; the current one is marked with '*'.")
    static final class GetContexts implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        OutputOptions output;

        /** One context as listed. */
        record Listed(String name, boolean current, String controlPlane, String tokenFile, String dataPlane,
                      String tlsCa) {
        }

        @Override
        public Integer call() {
            CliConfig config = CliConfig.load(env(spec));
            List<Listed> listed = config.contexts().stream().map(c -> new Listed(c.name(),
                    c.name().equals(config.currentContext()), c.controlPlane(), c.tokenFile(), c.dataPlane(),
                    c.tlsCa())).toList();
            ((MmCtl) spec.root().userObject()).printer(spec, output).print(listed, GetContexts::table);
            return ExitCodes.OK;
        }

        static List<Block> table(List<Listed> contexts) {
            Table.Builder t = Table.of("CURRENT", "NAME", "CONTROL PLANE", "TOKEN FILE", "DATA PLANE");
            contexts.forEach(c -> t.row(c.current() ? "*" : "", c.name(), c.controlPlane(), c.tokenFile(),
                    c.dataPlane()));
            return List.of(t.build());
        }
    }

    @Command(name = "delete-context", header = "Remove a context (exit 0 when there is none of that name).")
    static final class DeleteContext implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The context's name.")
        String name;

        @Override
        public Integer call() {
            CliEnvironment env = env(spec);
            CliConfig config = CliConfig.load(env);
            if (config.context(name).isEmpty()) {
                spec.commandLine().getErr().println("nothing to delete: no context '" + name + "'");
            } else {
                config.without(name).save(env);
                spec.commandLine().getErr().println("context '" + name + "' deleted"
                        + (name.equals(config.currentContext()) ? "; there is no current context now" : ""));
            }
            spec.commandLine().getErr().flush();
            return ExitCodes.OK;
        }
    }
}
