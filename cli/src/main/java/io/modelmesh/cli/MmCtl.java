package io.modelmesh.cli;

import io.modelmesh.cli.commands.AbCommand;
import io.modelmesh.cli.commands.ApplyCommand;
import io.modelmesh.cli.commands.CanaryCommand;
import io.modelmesh.cli.commands.ChaosCommand;
import io.modelmesh.cli.commands.CompleteCommand;
import io.modelmesh.cli.commands.CompletionCommand;
import io.modelmesh.cli.commands.ConfigCommand;
import io.modelmesh.cli.commands.DeleteCommand;
import io.modelmesh.cli.commands.DeployCommand;
import io.modelmesh.cli.commands.DiffCommand;
import io.modelmesh.cli.commands.DownCommand;
import io.modelmesh.cli.commands.DriftCommand;
import io.modelmesh.cli.commands.HistoryCommand;
import io.modelmesh.cli.commands.ListCommand;
import io.modelmesh.cli.commands.PredictCommand;
import io.modelmesh.cli.commands.PromoteCommand;
import io.modelmesh.cli.commands.RegisterCommand;
import io.modelmesh.cli.commands.RollbackCommand;
import io.modelmesh.cli.commands.RolloutCommand;
import io.modelmesh.cli.commands.ShadowCommand;
import io.modelmesh.cli.commands.ShellCommand;
import io.modelmesh.cli.commands.StatusCommand;
import io.modelmesh.cli.commands.TokenCommand;
import io.modelmesh.cli.commands.UndeployCommand;
import io.modelmesh.cli.commands.TopCommand;
import io.modelmesh.cli.commands.UpCommand;
import io.modelmesh.cli.commands.VersionsCommand;
import io.modelmesh.cli.commands.AliasCommand;
import io.modelmesh.cli.commands.StageCommand;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.api.trace.TraceParent;
import io.modelmesh.sdk.ModelMeshClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code mmctl}: the ModelMesh command line. Subcommands are classes in {@code io.modelmesh.cli.commands}; they reach the
 * SDK client and the printer through this root, which {@link #commandLine(ClientFactory, CliEnvironment)} wires with
 * the error handlers so {@code main} and the tests run exactly the same thing.
 */
@Command(name = "mmctl", versionProvider = VersionProvider.class,
        header = "ModelMesh: register, deploy, roll out and serve ML models.",
        description = {"", "Talks to the control plane (--control-plane, env MM_CONTROL_PLANE) and the data-plane nodes. "
                + "Results go to stdout (-o table for people, -o json or -o yaml for scripts); messages go to "
                + "stderr.", ""},
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  MMCTL_CONFIG      the contexts file (default ~/.config/mmctl/config.yaml; mmctl config)",
                "  MM_CONTROL_PLANE  control-plane URL, or several separated by commas (--control-plane)",
                "  MM_DATA_PLANE     data-plane node URLs, comma-separated (--data-plane)",
                "  MM_TLS_CA         PEM CA bundle https servers are verified with (--tls-ca)",
                "  MM_HOME           where 'up' keeps data, logs and pid files (~/.modelmesh)",
                "  MM_TOKEN          the token to send (--token-file; default: MM_HOME/admin-token)",
                "  MM_DATABASE_URL   PostgreSQL for 'up' (default: embedded, under MM_HOME)",
                "  MM_DEBUG          print stack traces on errors, like --verbose",
                "  NO_COLOR          no colours (they are off anyway when stdout is no terminal)",
                "  CLICOLOR=0        no colours; CLICOLOR_FORCE=1: colours even into a pipe",
                "",
                "Start here: mmctl up --demo"})
public final class MmCtl implements Callable<Integer> {
    /** Every subcommand, in the order the help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            UpCommand.class, DownCommand.class, StatusCommand.class, RegisterCommand.class, ListCommand.class,
            VersionsCommand.class, DeployCommand.class, PredictCommand.class, ApplyCommand.class, DiffCommand.class,
            HistoryCommand.class, RollbackCommand.class, CanaryCommand.class, PromoteCommand.class,
            ShadowCommand.class, AbCommand.class, ChaosCommand.class, TopCommand.class, DriftCommand.class,
            TokenCommand.class, UndeployCommand.class, DeleteCommand.class, ShellCommand.class,
            CompletionCommand.class, ConfigCommand.class, CompleteCommand.class, RolloutCommand.class,
            AliasCommand.class, StageCommand.class);

    /** Subcommands that walk the whole command tree, so they never run on a partial one. */
    private static final Set<Class<?>> NEED_THE_TREE = Set.of(ShellCommand.class, CompletionCommand.class);

    private final ClientFactory clients;
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version.")
    boolean version;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print stack traces on errors (env MM_DEBUG=1 does the same).")
    boolean verbose;
    private TraceParent trace;
    /** The clients this invocation made, closed by {@link #run} when the command is done. */
    private final List<ModelMeshClient> opened = new ArrayList<>();

    MmCtl(ClientFactory clients, CliEnvironment env) {
        this.clients = clients;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(ClientFactory.standard(), CliEnvironment.system(), args));
    }

    /**
     * Runs one command and closes the SDK clients it opened: an open client's selector thread waits in the kernel,
     * and the JVM's exit waits 300 ms for such a thread, longer than the rest of {@code mmctl list}
     * (docs/benchmark_results.md, the mmctl section).
     */
    static int run(ClientFactory clients, CliEnvironment env, String[] args) {
        CommandLine cl = commandLine(clients, env, args);
        try {
            return cl.execute(args);
        } finally {
            ((MmCtl) cl.getCommand()).closeClients();
        }
    }

    /** The real command line with the standard SDK client. */
    public static CommandLine commandLine(ClientFactory clients) {
        return commandLine(clients, CliEnvironment.system());
    }

    /**
     * The command line {@code main} runs: error handlers mapping exceptions to {@link ExitCodes}, colours as
     * {@link io.modelmesh.cli.output.Colors} decides, exit codes in the help. Tests set their own out/err on the
     * result.
     */
    public static CommandLine commandLine(ClientFactory clients, CliEnvironment env) {
        return commandLine(clients, env, null);
    }

    /**
     * The command line for one invocation: when {@code args} name a subcommand, only that one is built. picocli builds
     * its model of a command by reflection, and doing that for all of them was a third of {@code mmctl list}'s wall
     * time (docs/benchmark_results.md, the CLI section); help, an unknown or missing command, the shell and completion
     * get the whole tree. {@code args == null} always builds the whole tree.
     */
    static CommandLine commandLine(ClientFactory clients, CliEnvironment env, String[] args) {
        MmCtl root = new MmCtl(clients, env);
        CommandLine cl = new CommandLine(root);
        Class<?> only = args == null ? null : invoked(args);
        for (Class<?> command : only == null ? COMMANDS : List.of(only)) {
            cl.addSubcommand(command);
        }
        ErrorHandler errors = new ErrorHandler(() -> root.verbose || env.debug(), env.colors());
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
        cl.setColorScheme(Help.defaultColorScheme(env.colour() ? Help.Ansi.ON : Help.Ansi.OFF));
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit Codes:%n").exitCodeList(ExitCodes.HELP);
        return cl;
    }

    /** The subcommand {@code args} name (by name or alias) when it can run on its own, else null. */
    static Class<?> invoked(String[] args) {
        for (String arg : args) {
            if (arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version")) {
                return null;   // the root's help lists every command
            }
            if (arg.startsWith("-")) {
                continue;   // the root's other option (--verbose) takes no value
            }
            for (Class<?> command : COMMANDS) {
                Command c = command.getAnnotation(Command.class);
                if (c.name().equals(arg) || Arrays.asList(c.aliases()).contains(arg)) {
                    return NEED_THE_TREE.contains(command) ? null : command;
                }
            }
            return null;
        }
        return null;
    }

    /** No command given: show the help on stderr and fail as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr(), spec.commandLine().getColorScheme());
        return ExitCodes.INVALID_INPUT;
    }

    /** A client for the given connection options. */
    public ModelMeshClient client(ConnectionOptions connection) {
        ModelMeshClient client = opened(clients.create(connection.controlPlanes(), connection.dataPlanes(),
                TokenSource.resolve(connection.tokenFile(), env).orElse(null), connection.tlsCa()));
        return client == null ? null : client.withTrace(trace());
    }

    /**
     * The trace this command's calls are spans of (one per command; the servers log its id and hand it on to the
     * nodes). With --verbose its id is printed on stderr when the command first calls a server.
     */
    synchronized TraceParent trace() {
        if (trace == null) {
            trace = TraceParent.newTrace();
            if (verbose) {
                spec.commandLine().getErr().println("trace id: " + trace.traceId());
                spec.commandLine().getErr().flush();
            }
        }
        return trace;
    }

    /** A client for the given connection options that predicts through these nodes. */
    public ModelMeshClient client(ConnectionOptions connection, List<java.net.URI> dataPlanes) {
        return opened(clients.create(connection.controlPlanes(), dataPlanes,
                TokenSource.resolve(connection.tokenFile(), env).orElse(null), connection.tlsCa()));
    }

    private synchronized ModelMeshClient opened(ModelMeshClient client) {
        if (client != null) {
            opened.add(client);
        }
        return client;
    }

    /**
     * Closes every client {@link #client} made so far (after a command: {@link #run}, and the shell after each line);
     * tests whose factory hands out one shared client do not call it.
     */
    public synchronized void closeClients() {
        opened.forEach(ModelMeshClient::close);
        opened.clear();
    }

    /** The printer for a subcommand: its out/err, the chosen format, colours when the environment allows. */
    public Printer printer(CommandSpec command, OutputOptions output) {
        return new Printer(command.commandLine().getOut(), command.commandLine().getErr(), output.format(),
                env.colors());
    }

    public ClientFactory clients() {
        return clients;
    }

    public CliEnvironment env() {
        return env;
    }
}
