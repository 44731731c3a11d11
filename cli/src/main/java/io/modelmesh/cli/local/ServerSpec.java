package io.modelmesh.cli.local;

import io.modelmesh.api.security.Redaction;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One server process of the local stack: its name (for logs/ and run/), main class, arguments, port, the environment
 * variables it gets on top of mmctl's own, and whether it serves http or https. Pure: the command line is built here so
 * it can be checked without starting anything. Secrets (a database URL with a password) go into {@code env}, never into
 * {@code args}: every user of the machine can read a process's arguments ({@code ps}, {@code /proc/PID/cmdline}), only
 * its owner its environment.
 */
public record ServerSpec(String name, String mainClass, List<String> args, int port, Map<String, String> env,
                         String scheme) {
    public static final String CONTROL_PLANE_MAIN = "io.modelmesh.controlplane.Main";
    public static final String DATA_PLANE_MAIN = "io.modelmesh.dataplane.Main";
    public static final String CONTROL_PLANE_NAME = "control-plane";
    /**
     * The smallest heap a data-plane node keeps. Idle or lightly loaded, G1 gives the heap back down to a few tens of
     * MB, and a storm of new connections then starts with a concurrent cycle and heap growth; with the floor a node's
     * storm throughput was 12 % higher (median of eight alternating runs, docs/benchmark_results.md section 18). The
     * same floor is in k8s/base, the image's entry point and bench/lib.sh.
     */
    public static final String NODE_HEAP_FLOOR = "-Xms256m";

    public ServerSpec {
        args = List.copyOf(args);
        env = Map.copyOf(env);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("scheme must be http or https, got " + scheme);
        }
    }

    public static ServerSpec controlPlane(int port, Path home, String databaseUrl) {
        return controlPlane(port, home, databaseUrl, LocalTls.NONE);
    }

    /** The control plane; an external database's URL (which may hold a password) goes in MM_DATABASE_URL. */
    public static ServerSpec controlPlane(int port, Path home, String databaseUrl, LocalTls tls) {
        return controlPlane(1, port, home, databaseUrl, tls);
    }

    /**
     * Control plane number {@code index} (1-based) of the stack in {@code home}. The first is
     * {@value #CONTROL_PLANE_NAME} with the stack's home; each further one ({@code control-plane-2}, ...) keeps its own
     * scratch data in {@code home/control-plane-N}, stores artifacts in the first one's {@code home/artifacts} (every
     * control plane of a cluster must share them, docs/reliability.md) and needs {@code databaseUrl}: the first one's
     * database (see {@link LocalDatabase}), in MM_DATABASE_URL like any database URL.
     */
    public static ServerSpec controlPlane(int index, int port, Path home, String databaseUrl, LocalTls tls) {
        if (index < 1) {
            throw new IllegalArgumentException("control planes are numbered from 1, got " + index);
        }
        if (index > 1 && databaseUrl == null) {
            throw new IllegalArgumentException("control plane " + index + " needs the first one's database URL");
        }
        String name = controlPlaneName(index);
        Path own = index == 1 ? home : home.resolve(name);
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--home", own.toString()));
        if (index > 1) {
            args.addAll(List.of("--artifact-dir", home.resolve("artifacts").toString()));
        }
        args.addAll(tls.args());
        Map<String, String> env = new LinkedHashMap<>();
        if (databaseUrl != null) {
            env.put("MM_DATABASE_URL", databaseUrl);
        }
        return new ServerSpec(name, CONTROL_PLANE_MAIN, args, port, env, tls.scheme());
    }

    public static ServerSpec node(int port, URI controlPlane, Path home) {
        return node(port, controlPlane, home, LocalTls.NONE);
    }

    public static ServerSpec node(int port, URI controlPlane, Path home, LocalTls tls) {
        return node(port, List.of(controlPlane), home, tls);
    }

    /** A node that knows every control plane of the stack (in order of preference) and fails over between them. */
    public static ServerSpec node(int port, List<URI> controlPlanes, Path home, LocalTls tls) {
        String id = nodeId(port);
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--control-plane",
                String.join(",", controlPlanes.stream().map(URI::toString).toList()), "--home", home.toString(),
                "--node-id", id));
        args.addAll(tls.args());
        return new ServerSpec(id, DATA_PLANE_MAIN, args, port, Map.of(), tls.scheme());
    }

    /** {@value #CONTROL_PLANE_NAME} for the first control plane, {@code control-plane-N} for the N-th. */
    public static String controlPlaneName(int index) {
        return index == 1 ? CONTROL_PLANE_NAME : CONTROL_PLANE_NAME + "-" + index;
    }

    /** Which control plane a server name is (1 for the first), or 0 when it names a node. */
    public static int controlPlaneIndex(String name) {
        if (name.equals(CONTROL_PLANE_NAME)) {
            return 1;
        }
        String prefix = CONTROL_PLANE_NAME + "-";
        if (name.startsWith(prefix) && name.length() > prefix.length()
                && name.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(name.substring(prefix.length()));
        }
        return 0;
    }

    public static String nodeId(int port) {
        return "node-" + port;
    }

    public boolean isControlPlane() {
        return CONTROL_PLANE_MAIN.equals(mainClass);
    }

    public URI url() {
        return URI.create(scheme + "://127.0.0.1:" + port);
    }

    public URI health() {
        return URI.create(url() + "/health");
    }

    /**
     * {@code JAVA --enable-native-access=ALL-UNNAMED -Xmx1g [-Xms256m] @ARGFILE MAIN ARGS...}, prefixed with
     * {@code setsid} when given (detached servers leave mmctl's session so closing the terminal does not stop them).
     * The classpath goes through a java argument file ({@code -cp ...} inside it, see {@link #classpathArgFile})
     * rather than on the command line: onnxruntime 1.29.0 crashes the JVM with SIGSEGV when the process's command line
     * is longer than about 4 KiB, which a full classpath is. A node's heap has a floor ({@link #NODE_HEAP_FLOOR}).
     */
    public List<String> command(String java, Path classpathArgFile, String setsid) {
        List<String> cmd = new ArrayList<>();
        if (setsid != null) {
            cmd.add(setsid);
        }
        cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g"));
        if (!isControlPlane()) {
            cmd.add(NODE_HEAP_FLOOR);
        }
        cmd.addAll(List.of("@" + classpathArgFile, mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** Like the record's, naming the environment variables it sets but not their values. */
    @Override
    public String toString() {
        return "ServerSpec[name=" + name + ", mainClass=" + mainClass + ", args=" + Redaction.commandLine(args)
                + ", port=" + port + ", env=" + env.keySet() + ", scheme=" + scheme + "]";
    }

    /** The content of a java {@code @argfile} holding {@code -cp CLASSPATH}, quoted for the launcher. */
    public static String classpathArgFile(String classpath) {
        return "-cp \"" + classpath.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
    }
}
