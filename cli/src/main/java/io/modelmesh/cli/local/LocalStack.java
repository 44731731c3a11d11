package io.modelmesh.cli.local;

import io.modelmesh.api.security.Redaction;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Starts (or finds already running) the server processes of a local stack under a {@link StackHome} and waits until they
 * answer {@code /health}. Each child's stdout and stderr go to {@code logs/NAME.log}, its pid to {@code run/NAME.pid}.
 */
public final class LocalStack {
    /** System property naming the directory of every ModelMesh jar (set by the installed launcher). */
    public static final String LIB_PROPERTY = "modelmesh.lib";

    private static final Duration POLL = Duration.ofMillis(250);
    private static final int TAIL_LINES = 30;

    /**
     * A server of the stack.
     *
     * @param reused true when an earlier {@code mmctl up} started it and it is still running
     */
    public record Server(ServerSpec spec, ProcessHandle process, boolean reused, Path log) {
    }

    private final StackHome home;
    private final String java;
    private final Path classpathArgFile;
    private final HealthProbe probe;
    private final Consumer<String> progress;

    /**
     * @param java      the java launcher for the children
     * @param classpath the classpath holding the servers' main classes
     * @param progress  where "starting"/"waiting" messages go (stderr)
     */
    public LocalStack(StackHome home, String java, String classpath, HealthProbe probe, Consumer<String> progress) {
        this.home = home.create();
        this.java = java;
        this.classpathArgFile = home.run().resolve("classpath.args");
        try {
            Files.writeString(classpathArgFile, ServerSpec.classpathArgFile(classpath));
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, "cannot write " + classpathArgFile + ": " + e.getMessage(), e);
        }
        this.probe = probe;
        this.progress = progress;
    }

    /** The java launcher running this process (children run on the same JDK). */
    public static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The classpath the servers start with. The installed launcher runs mmctl on its own small classpath (the CLI's
     * jars only, for start-up time) and names the directory holding every jar in the system property
     * {@value #LIB_PROPERTY}; without it (tests, a hand-made classpath) the servers get mmctl's own classpath.
     */
    public static String serverClassPath() {
        String lib = System.getProperty(LIB_PROPERTY);
        return lib != null ? Path.of(lib).resolve("*").toString() : System.getProperty("java.class.path");
    }

    /** Whether a main class is on the classpath children are started with ({@link #serverClassPath()}). */
    public static boolean onClasspath(String mainClass) {
        String resource = mainClass.replace('.', '/') + ".class";
        String lib = System.getProperty(LIB_PROPERTY);
        if (lib == null) {
            return ClassLoader.getSystemResource(resource) != null;
        }
        try (var jars = Files.list(Path.of(lib))) {
            URL[] urls = jars.filter(f -> f.toString().endsWith(".jar")).map(LocalStack::url).toArray(URL[]::new);
            try (URLClassLoader loader = new URLClassLoader(urls, null)) {
                return loader.findResource(resource) != null;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(jar + ": " + e.getMessage(), e);
        }
    }

    /** The process an earlier {@code mmctl up} started for {@code spec}, else a new one. */
    public Server ensure(ServerSpec spec, boolean detach) {
        Optional<PidFile> pidFile = PidFile.read(home, spec.name());
        if (pidFile.isPresent()) {
            Optional<ProcessHandle> running = pidFile.get().process();
            if (running.isPresent()) {
                int port = pidFile.get().port();
                if (port != 0 && port != spec.port()) {
                    throw new CliException(ExitCodes.CONFLICT, spec.name() + " from an earlier 'mmctl up' is running on "
                            + "port " + port + " (pid " + pidFile.get().pid() + "), not " + spec.port() + "; stop it "
                            + "with 'mmctl down --home " + home.root() + "' or ask for port " + port);
                }
                progress.accept(spec.name() + " is already running (pid " + running.get().pid() + ")");
                return new Server(spec, running.get(), true, home.log(spec.name()));
            }
            pidFile.get().delete(); // stale: the process is gone
        }
        if (!portFree(spec.port())) {
            throw CliException.unavailable("port " + spec.port() + " is in use by a program this stack did not start (no"
                    + " live pid file under " + home.run() + "); stop it or choose another port ("
                    + (spec.isControlPlane() ? "--port" : "--node-port") + ")");
        }
        return spawn(spec, detach);
    }

    private Server spawn(ServerSpec spec, boolean detach) {
        Path log = home.log(spec.name());
        List<String> cmd = spec.command(java, classpathArgFile, detach ? setsid() : null);
        try {
            Files.writeString(log, "=== " + Instant.now() + " mmctl up: " + Redaction.commandLine(cmd)
                            + (spec.env().isEmpty() ? "" : " (environment: " + String.join(", ", spec.env().keySet())
                            + ")") + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            File devNull = new File("/dev/null");
            if (devNull.exists()) {
                pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
            }
            pb.environment().put("MM_HOME", home.root().toString());
            pb.environment().putAll(spec.env()); // secrets: never on the command line, where ps shows them
            Process p = pb.start();
            PidFile.write(home, spec.name(), p.toHandle(), spec.port());
            progress.accept("started " + spec.name() + " (pid " + p.pid() + ", log " + log + ")");
            return new Server(spec, p.toHandle(), false, log);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "cannot start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the server answers /health; fails with its log tail if it exits or the deadline passes. */
    public void awaitHealthy(Server s, Instant deadline) {
        long t0 = System.nanoTime();
        if (probe.healthy(s.spec().health())) {
            return;
        }
        progress.accept("waiting for " + s.spec().name() + " to answer " + s.spec().health() + " ...");
        while (!probe.healthy(s.spec().health())) {
            if (Instant.now().isAfter(deadline)) {
                throw failure(s, s.spec().name() + " did not answer " + s.spec().health() + " in time (still running as "
                        + "pid " + s.process().pid() + "; raise --timeout if the machine is slow"
                        + (s.reused() ? "; an earlier 'mmctl up' started it, maybe with other TLS settings: 'mmctl "
                        + "down' first" : "") + ")");
            }
            if (exitedWithin(s.process(), POLL)) {
                throw failure(s, s.spec().name() + " exited during startup");
            }
        }
        progress.accept(s.spec().name() + " is ready on " + s.spec().url() + " ("
                + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms)");
    }

    /** Waits up to {@code d} for the process to exit (no sleeping while it is alive). */
    public static boolean exitedWithin(ProcessHandle p, Duration d) {
        try {
            p.onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    /** A failure naming the server's log and its last lines. */
    public CliException failure(Server s, String what) {
        List<String> tail = LogTail.last(s.log(), TAIL_LINES);
        String text = what + "; last lines of " + s.log() + ":" + System.lineSeparator()
                + tail.stream().map(l -> "  | " + l).collect(Collectors.joining(System.lineSeparator()));
        return CliException.unavailable(text);
    }

    /** Stops the servers this invocation started (not reused ones) and removes their pid files. */
    public List<Stopper.Stopped> stopStarted(List<Server> servers, Duration grace) {
        List<PidFile> files = servers.stream().filter(s -> !s.reused())
                .flatMap(s -> PidFile.read(home, s.spec().name()).stream())
                .filter(f -> f.pid() == findPid(servers, f.name()))
                .toList();
        return Stopper.stop(files, grace);
    }

    private static long findPid(List<Server> servers, String name) {
        return servers.stream().filter(s -> s.spec().name().equals(name)).mapToLong(s -> s.process().pid()).findFirst()
                .orElse(-1);
    }

    static boolean portFree(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String setsid() {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    public StackHome home() {
        return home;
    }
}
