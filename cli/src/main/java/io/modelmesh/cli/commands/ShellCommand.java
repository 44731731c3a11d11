package io.modelmesh.cli.commands;

import io.modelmesh.api.ModelSummary;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ConnectionOptions;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.shell.ModelNames;
import io.modelmesh.cli.shell.Shell;
import io.modelmesh.sdk.ModelMeshClient;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code mmctl shell}: an interactive session with history and Tab completion (jline 3). */
@Command(name = "shell", header = "Start an interactive session: every command, with history and Tab completion.",
        description = {"Type commands without 'mmctl': 'list', 'status iris', 'deploy iris --version 1.1.0'. Tab "
                + "completes commands, options and their values, and model names and versions when the control plane "
                + "answers. Each line runs like the same command outside the shell; a non-zero exit code is shown and "
                + "the session goes on. 'help [COMMAND]' shows help, 'exit', 'quit' or Ctrl-D leaves, Ctrl-C drops "
                + "the line being typed or stops the running command.",
                "",
                "Connection options given here (--control-plane, --data-plane, --token-file, --tls-ca) become the "
                        + "defaults of every command in the session. History: $XDG_CONFIG_HOME/mmctl/history "
                        + "(default ~/.config/mmctl/history).", ""})
public final class ShellCommand implements Callable<Integer> {
    /** The connection options the session passes on as defaults. */
    static final List<String> CONNECTION_OPTIONS =
            List.of("--context", "--control-plane", "--data-plane", "--token-file", "--tls-ca");

    /** Model names offered for Tab: the first page of this size, the largest the control plane serves. */
    static final int MODEL_PAGE = 500;

    @Spec
    CommandSpec spec;
    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws IOException {
        // dumb(true): with stdin from a pipe or a file, a dumb terminal without jline's warning about it
        try (Terminal terminal = TerminalBuilder.builder().name("mmctl").system(true).dumb(true).build()) {
            return session().run(terminal);
        }
    }

    /** The session, ready to run on a terminal (tests give it a dumb one over pipes). */
    Shell session() {
        MmCtl root = (MmCtl) spec.root().userObject();
        CliEnvironment env = root.env();
        Map<String, String> defaults = connectionDefaults(spec.commandLine().getParseResult());
        ModelNames names = ModelNames.of(sdkSource(() -> root.client(connection)));
        return new Shell(prompt -> {
            CommandLine cl = MmCtl.commandLine(root.clients(),
                    new CliEnvironment(env.env(), env.stdoutTerminal(), prompt));
            cl.setDefaultValueProvider(arg -> arg instanceof OptionSpec o ? defaults.get(o.longestName()) : null);
            return cl;
        }, names, historyFile(env), env.colors());
    }

    /** Model names and versions from the control plane through the SDK; the client is made on the first Tab. */
    static ModelNames.Source sdkSource(Supplier<ModelMeshClient> clients) {
        return new ModelNames.Source() {
            private ModelMeshClient client;

            private synchronized ModelMeshClient client() {
                if (client == null) {
                    client = clients.get();
                }
                return client;
            }

            @Override
            public List<String> models() {
                return client().listModels(0, MODEL_PAGE, null).items().stream().map(ModelSummary::name).toList();
            }

            @Override
            public List<String> versions(String model) {
                return client().versions(model).stream().map(ModelVersion::version).toList();
            }
        };
    }

    /** The connection options given to {@code shell} itself, as {@code --name -> value}. */
    static Map<String, String> connectionDefaults(ParseResult parsed) {
        Map<String, String> defaults = new HashMap<>();
        if (parsed == null) {
            return defaults;
        }
        ParseResult p = parsed;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        for (String name : CONNECTION_OPTIONS) {
            OptionSpec o = p.matchedOption(name);
            if (o != null) {
                defaults.put(name, String.join(",", o.stringValues()));
            }
        }
        return defaults;
    }

    /** $XDG_CONFIG_HOME/mmctl/history, else ~/.config/mmctl/history. */
    static Path historyFile(CliEnvironment env) {
        return env.configDir().resolve("history");
    }
}
