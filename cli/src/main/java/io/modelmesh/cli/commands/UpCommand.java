package io.modelmesh.cli.commands;

import io.modelmesh.api.NodeState;
import io.modelmesh.api.NodeStatus;
import io.modelmesh.api.Prediction;
import io.modelmesh.api.security.PemTrust;
import io.modelmesh.api.security.Redaction;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.cli.OutputOptions;
import io.modelmesh.cli.TokenSource;
import io.modelmesh.cli.local.HealthProbe;
import io.modelmesh.cli.local.LocalDatabase;
import io.modelmesh.cli.local.LocalStack;
import io.modelmesh.cli.local.LocalStack.Server;
import io.modelmesh.cli.local.LocalTls;
import io.modelmesh.cli.local.ServerSpec;
import io.modelmesh.cli.local.StackHome;
import io.modelmesh.cli.local.Stopper;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.cli.output.Table;
import io.modelmesh.sdk.ModelMeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/** {@code mmctl up}: a control plane and N data-plane nodes as local processes under MM_HOME. */
@Command(name = "up", sortOptions = false, header = "Start a local stack: a control plane and data-plane nodes.",
        description = {"Starts the control plane (embedded PostgreSQL unless --database-url / MM_DATABASE_URL) and N "
                + "data-plane nodes as child processes, waits until they answer /health and the nodes have registered, "
                + "and prints the endpoints. Logs go to HOME/logs/NAME.log, pid files to HOME/run/NAME.pid. Running it "
                + "again reuses the processes that are still up. Without --detach it stays in the foreground and stops "
                + "the stack on Ctrl-C.", ""},
        footer = {"", "Examples:", "  mmctl up --demo            # start, register the iris demo model, predict once",
                "  mmctl up --nodes 3 --detach", "  mmctl up --control-planes 2 --nodes 2   # try fail-over locally",
                "  mmctl down"})
public final class UpCommand implements java.util.concurrent.Callable<Integer> {
    static final Duration STOP_GRACE = Duration.ofSeconds(15);

    @ParentCommand
    MmCtl root;
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1", description = "Data-plane nodes (default: 1).")
    int nodes;

    @Option(names = "--control-planes", paramLabel = "N", defaultValue = "1",
            description = "Control-plane processes on the one database, 1-5 (default: 1): control plane i listens on "
                    + "--port + i - 1; all serve the API, one leads (docs/reliability.md); nodes and mmctl get every "
                    + "URL.")
    int controlPlanes;

    @Option(names = {"-d", "--detach"}, description = "Return once the stack is ready and leave it running.")
    boolean detach;

    @Option(names = "--demo", description = "Register the bundled iris model and run one prediction.")
    boolean demo;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Control-plane port (default: 8080).")
    int port;

    @Option(names = "--node-port", paramLabel = "PORT", defaultValue = "8000",
            description = "First data-plane port; node i listens on PORT+i (default: 8000).")
    int nodePort;

    @Option(names = "--database-url", paramLabel = "URL", defaultValue = "${env:MM_DATABASE_URL}",
            description = "PostgreSQL URL, jdbc:postgresql://... or postgresql://user:pw@host/db (env MM_DATABASE_URL; "
                    + "default: embedded PostgreSQL under HOME, password in HOME/postgres-password). The control "
                    + "plane gets it in its environment, never on its command line; prefer MM_DATABASE_URL for a URL "
                    + "with a password, since ps shows this flag to every user.")
    String databaseUrl;

    @Option(names = "--home", paramLabel = "DIR", description = "Stack home (env MM_HOME; default: ~/.modelmesh).")
    Path home;

    @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "${env:MM_TLS_CERT}",
            description = "Serve https: PEM certificate every server of the stack uses; it must name 127.0.0.1 "
                    + "(env MM_TLS_CERT). Needs --tls-key and --tls-ca.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "${env:MM_TLS_KEY}",
            description = "PEM private key of --tls-cert (env MM_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE", defaultValue = "${env:MM_TLS_CA}",
            description = "PEM CA bundle that signed --tls-cert: nodes, the control plane and mmctl verify each "
                    + "other with it (env MM_TLS_CA).")
    Path tlsCa;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "How long to wait for the stack to be ready (default: 90).")
    int timeoutSeconds;

    /**
     * What {@code up} prints: the endpoints, and the demo prediction when asked.
     *
     * @param state {@code started} or {@code already running}
     */
    public record Endpoint(String name, String url, long pid, String state, String log) {
    }

    /**
     * @param controlPlane  the first control plane (the one whose embedded database the others use)
     * @param controlPlanes every control plane, the first included
     */
    public record Result(String home, Endpoint controlPlane, List<Endpoint> controlPlanes, List<Endpoint> nodes,
                         String logs, boolean detached, Prediction demo) {
    }

    @Override
    public Integer call() {
        validate();
        Printer printer = root.printer(spec, output);
        if (databaseUrl != null && spec.commandLine().getParseResult().hasMatchedOption("--database-url")
                && !Redaction.url(databaseUrl).equals(databaseUrl)) {
            printer.note("warning: the password in --database-url is visible to every user of this machine in the "
                    + "process list of this mmctl; set MM_DATABASE_URL instead (the servers never get it on their "
                    + "command lines)");
        }
        StackHome stackHome = new StackHome(home != null ? home : root.env().home());
        checkPrerequisites(stackHome);
        LocalTls tls = tls();
        LocalStack stack = new LocalStack(stackHome, LocalStack.currentJava(), LocalStack.serverClassPath(),
                new HealthProbe(tls.enabled() ? trust(tls.ca()) : null), printer::note);
        Instant deadline = Instant.now().plusSeconds(timeoutSeconds);

        List<Server> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread cleanup = new Thread(() -> {
            stopping.set(true);
            report(printer, stack.stopStarted(servers, STOP_GRACE));
        }, "mmctl-up-stop");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Result result;
        try {
            result = start(stack, servers, printer, deadline, tls);
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                Runtime.getRuntime().removeShutdownHook(cleanup);
                report(printer, stack.stopStarted(servers, STOP_GRACE));
            }
            throw e;
        }
        printer.print(result, UpCommand::table);
        String urls = String.join(",", result.controlPlanes().stream().map(Endpoint::url).toList());
        if (tls.enabled()) {
            printer.note("point mmctl at it: export MM_CONTROL_PLANE=" + urls + " MM_TLS_CA=" + tls.ca());
        } else if (port != 8080 || controlPlanes > 1) {
            printer.note("point mmctl at it: export MM_CONTROL_PLANE=" + urls);
        }
        if (detach || servers.stream().allMatch(Server::reused)) {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            printer.note(detach ? "the stack keeps running; stop it with: mmctl down" + homeArg(stackHome)
                    : "the stack was already running (started by an earlier 'mmctl up --detach'); leaving it running. "
                    + "Stop it with: mmctl down" + homeArg(stackHome));
            return ExitCodes.OK;
        }
        return foreground(stack, servers, printer, stopping, cleanup);
    }

    /** Fails before anything starts when the servers or the demo model are not in this build. */
    private void checkPrerequisites(StackHome stackHome) {
        for (String main : List.of(ServerSpec.CONTROL_PLANE_MAIN, ServerSpec.DATA_PLANE_MAIN)) {
            if (!LocalStack.onClasspath(main)) {
                throw CliException.failure(main + " is not on mmctl's classpath; run the mmctl that install.sh installs "
                        + "(its classpath carries the servers): ./install.sh");
            }
        }
        if (demo && UpCommand.class.getResource(DemoModel.RESOURCE) == null) {
            DemoModel.extract(stackHome.root()); // throws, saying how to get the model
        }
    }

    private void validate() {
        if (nodes < 0 || nodes > 64) {
            throw new ParameterException(spec.commandLine(), "--nodes must be between 0 and 64, not " + nodes);
        }
        if (controlPlanes < 1 || controlPlanes > 5) {
            throw new ParameterException(spec.commandLine(), "--control-planes must be between 1 and 5, not "
                    + controlPlanes);
        }
        for (int p : List.of(port, port + controlPlanes - 1, nodePort, nodePort + Math.max(nodes, 1) - 1)) {
            if (p < 1 || p > 65535) {
                throw new ParameterException(spec.commandLine(), "ports must be between 1 and 65535, not " + p);
            }
        }
        int lastCp = port + controlPlanes - 1;
        if (nodes > 0 && port <= nodePort + nodes - 1 && nodePort <= lastCp) {
            throw new ParameterException(spec.commandLine(), "the control-plane ports " + port
                    + (controlPlanes > 1 ? ".." + lastCp : "") + " collide with the node ports " + nodePort + ".."
                    + (nodePort + nodes - 1) + "; choose another --port or --node-port");
        }
        if (timeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--timeout must be at least 1 second");
        }
    }

    /** --tls-cert, --tls-key and --tls-ca: all three or none, each a readable file. */
    private LocalTls tls() {
        if (tlsCert == null && tlsKey == null) {
            return LocalTls.NONE;
        }
        if (tlsCert == null || tlsKey == null || tlsCa == null) {
            throw new ParameterException(spec.commandLine(), "--tls-cert, --tls-key and --tls-ca go together (env "
                    + "MM_TLS_CERT, MM_TLS_KEY, MM_TLS_CA): the stack's URLs are https://127.0.0.1:PORT, which only a "
                    + "certificate from your own CA names, so the servers and mmctl need that CA to verify each other");
        }
        for (Path p : List.of(tlsCert, tlsKey, tlsCa)) {
            if (!java.nio.file.Files.isRegularFile(p) || !java.nio.file.Files.isReadable(p)) {
                throw new ParameterException(spec.commandLine(), p + ": no such readable file");
            }
        }
        return new LocalTls(tlsCert, tlsKey, tlsCa);
    }

    private javax.net.ssl.SSLContext trust(Path ca) {
        try {
            return PemTrust.sslContext(ca);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Result start(LocalStack stack, List<Server> servers, Printer printer, Instant deadline, LocalTls tls) {
        Path h = stack.home().root();
        Server cp = stack.ensure(ServerSpec.controlPlane(port, h, databaseUrl, tls), detach);
        servers.add(cp);
        stack.awaitHealthy(cp, deadline);
        List<Server> cps = new ArrayList<>(List.of(cp));
        if (controlPlanes > 1) {
            // the others use the first one's database: the external one, or its embedded PostgreSQL, now running
            String shared = databaseUrl != null ? databaseUrl : LocalDatabase.url(h);
            for (int i = 2; i <= controlPlanes; i++) {
                Server other = stack.ensure(ServerSpec.controlPlane(i, port + i - 1, h, shared, tls), detach);
                servers.add(other);
                cps.add(other);
            }
            for (Server other : cps.subList(1, cps.size())) {
                stack.awaitHealthy(other, deadline);
            }
        }
        List<URI> cpUrls = cps.stream().map(s -> s.spec().url()).toList();
        List<Server> nodeServers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Server n = stack.ensure(ServerSpec.node(nodePort + i, cpUrls, h, tls), detach);
            servers.add(n);
            nodeServers.add(n);
        }
        for (Server n : nodeServers) {
            stack.awaitHealthy(n, deadline);
        }
        // the stack's own admin token, which its control plane wrote before it answered /health; closed when done,
        // so a detached 'up' exits at once (an open client's selector thread holds the JVM's exit)
        Prediction prediction = null;
        try (ModelMeshClient client = root.clients().create(cpUrls,
                nodeServers.stream().map(n -> n.spec().url()).toList(),
                TokenSource.resolve(h.resolve(TokenSource.FILE), root.env()).orElse(null), tls.ca())) {
            awaitRegistered(stack, client, nodeServers, printer, deadline);
            noteOthers(stack, servers, printer);
            if (demo) {
                if (nodes == 0) {
                    throw new ParameterException(spec.commandLine(),
                            "--demo needs at least one node (--nodes 1 or more)");
                }
                prediction = DemoModel.run(client, h, printer::note, deadline);
            }
        }
        return new Result(h.toString(), endpoint(cp), cps.stream().map(UpCommand::endpoint).toList(),
                nodeServers.stream().map(UpCommand::endpoint).toList(), stack.home().logs().toString(), detach,
                prediction);
    }

    /** Nodes answer /health before they are LIVE in the control plane; predictions need the latter. */
    private static void awaitRegistered(LocalStack stack, ModelMeshClient client, List<Server> nodes, Printer printer,
                                        Instant deadline) {
        if (nodes.isEmpty()) {
            return;
        }
        Set<String> want = nodes.stream().map(n -> n.spec().name()).collect(Collectors.toSet());
        printer.note("waiting for " + String.join(", ", want.stream().sorted().toList())
                + " to register with the control plane ...");
        while (true) {
            Set<String> live = client.nodes().stream().filter(n -> n.state() == NodeState.LIVE).map(NodeStatus::nodeId)
                    .collect(Collectors.toSet());
            if (live.containsAll(want)) {
                return;
            }
            Server missing = nodes.stream().filter(n -> !live.contains(n.spec().name())).findFirst().orElseThrow();
            if (Instant.now().isAfter(deadline)) {
                throw stack.failure(missing, missing.spec().name() + " answers /health but has not registered with the "
                        + "control plane in time");
            }
            if (LocalStack.exitedWithin(missing.process(), Duration.ofMillis(250))) {
                throw stack.failure(missing, missing.spec().name() + " exited while registering");
            }
        }
    }

    /** Pid files of servers this run did not ask for (e.g. an earlier 'up --nodes 3'): still running, say so. */
    private static void noteOthers(LocalStack stack, List<Server> servers, Printer printer) {
        Set<String> ours = servers.stream().map(s -> s.spec().name()).collect(Collectors.toSet());
        io.modelmesh.cli.local.PidFile.all(stack.home()).stream()
                .filter(f -> !ours.contains(f.name()) && f.process().isPresent())
                .forEach(f -> printer.note("note: " + f.name() + " (pid " + f.pid() + ") from an earlier 'mmctl up' is "
                        + "also running; 'mmctl down' stops everything"));
    }

    /** Stays until Ctrl-C/SIGTERM (the shutdown hook stops the children) or until a child dies (then stops the rest). */
    private int foreground(LocalStack stack, List<Server> servers, Printer printer, AtomicBoolean stopping,
                           Thread cleanup) {
        printer.note("running in the foreground: press Ctrl-C to stop (or start with --detach)");
        List<Server> ours = servers.stream().filter(s -> !s.reused()).toList();
        CompletableFuture.anyOf(ours.stream().map(s -> s.process().onExit()).toArray(CompletableFuture[]::new)).join();
        if (stopping.get()) {
            return ExitCodes.OK; // the shutdown hook is stopping the stack
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);
        Server dead = ours.stream().filter(s -> !s.process().isAlive()).findFirst().orElseThrow();
        CliException failure = stack.failure(dead, dead.spec().name() + " exited unexpectedly; stopping the local stack");
        report(printer, stack.stopStarted(servers, STOP_GRACE));
        throw failure;
    }

    private static void report(Printer printer, List<Stopper.Stopped> stopped) {
        for (Stopper.Stopped s : stopped) {
            if (s.wasRunning()) {
                printer.note(s.how() + " " + s.name() + " (pid " + s.pid() + ")");
            }
        }
    }

    private static Endpoint endpoint(Server s) {
        return new Endpoint(s.spec().name(), s.spec().url().toString(), s.process().pid(),
                s.reused() ? "already running" : "started", s.log().toString());
    }

    private String homeArg(StackHome h) {
        return home == null ? "" : " --home " + h.root();
    }

    public static List<Block> table(Result r) {
        Table.Builder t = Table.of("NAME", "URL", "PID", "STATE");
        List<Endpoint> all = new ArrayList<>(r.controlPlanes());
        all.addAll(r.nodes());
        for (Endpoint e : all) {
            t.row(e.name(), e.url(), e.pid(), "started".equals(e.state()) ? Cell.good(e.state()) : e.state());
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(t.build());
        blocks.add(Details.builder().add("home", r.home()).add("logs", r.logs()).build());
        if (r.demo() != null) {
            blocks.addAll(PredictCommand.table(r.demo()));
        }
        return blocks;
    }
}
