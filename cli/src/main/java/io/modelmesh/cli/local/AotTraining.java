package io.modelmesh.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.modelmesh.api.Json;
import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.sdk.RetryPolicy;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The training run install.sh records mmctl's ahead-of-time cache with (JDK 25's {@code -XX:AOTCacheOutput}): in one
 * JVM it runs what most invocations do — help, option parsing, and list, versions, status, history, predict,
 * deploy and register against an in-process server that answers what a real control plane and node answered
 * ({@code aot-answers.json}, recorded by bench/capture_aot_answers.sh) — plus a not-found answer and a refused
 * connection, so the classes those paths load are parsed, verified and linked once at install time instead of on
 * every call. Nothing outside a scratch directory is touched; the exit code is 0 even when a run fails, because a
 * training run cannot fail the install ({@code AotTrainingTest} holds every run to its expected exit code).
 */
public final class AotTraining {
    static final String ANSWERS = "aot-answers.json";
    private static final String DISCARD = "http://127.0.0.1:9";   // nothing listens there: connection refused at once

    /** One command of the training run and the exit code it must end with. */
    record Run(int exit, List<String> args) {
        Run(int exit, String... args) {
            this(exit, List.of(args));
        }
    }

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path scratch = Files.createTempDirectory("mmctl-aot-training");
        try {
            run(scratch);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Runs every training command against an in-process server; returns one line per command that did not exit as
     * expected (its arguments, the exit code and what it printed on stderr), so an empty list means all ran as meant.
     */
    static List<String> run(Path scratch) throws IOException {
        Map<String, String> env = Map.of("MM_HOME", scratch.resolve("home").toString(),
                "XDG_CONFIG_HOME", scratch.resolve("config").toString());
        List<String> failures = new ArrayList<>();
        // what register uploads; the replaying server reads no byte of it
        Path artifact = Files.write(scratch.resolve("model.onnx"), new byte[64 * 1024]);
        try (Replay server = new Replay(answers())) {
            String cp = "--control-plane=" + server.url();
            List<Run> runs = List.of(
                    new Run(ExitCodes.OK, "--help"),
                    new Run(ExitCodes.OK, "list", "--help"),
                    new Run(ExitCodes.OK, "list", cp),
                    new Run(ExitCodes.OK, "list", "-o", "json", cp),
                    new Run(ExitCodes.OK, "list", "-o", "yaml", cp),
                    new Run(ExitCodes.OK, "versions", "iris", cp),
                    new Run(ExitCodes.OK, "status", cp),
                    new Run(ExitCodes.OK, "status", "iris", cp),
                    new Run(ExitCodes.OK, "history", "iris", cp),
                    new Run(ExitCodes.OK, "predict", "iris", "--input", "[[5.1,3.5,1.4,0.2]]", cp),
                    new Run(ExitCodes.OK, "deploy", "iris", "--version", "1.0.0", cp),
                    new Run(ExitCodes.OK, "register", "iris", "--file", artifact.toString(), "--version", "1.0.1",
                            "--no-deploy", cp),
                    new Run(ExitCodes.NOT_FOUND, "versions", "no-such-model", cp),
                    new Run(ExitCodes.UNAVAILABLE, "list", "--control-plane=" + DISCARD),
                    new Run(ExitCodes.OK, "completion", "bash"));
            for (Run run : runs) {
                String[] args = run.args().toArray(String[]::new);
                StringWriter err = new StringWriter();
                // a command line per run, as each mmctl invocation builds its own
                CommandLine cl = MmCtl.commandLine(ClientFactory.standard(RetryPolicy.none()),
                        CliEnvironment.of(env));
                cl.setOut(new PrintWriter(java.io.Writer.nullWriter()));
                cl.setErr(new PrintWriter(err));
                int exit = cl.execute(args);
                if (exit != run.exit()) {
                    failures.add(String.join(" ", run.args()) + ": exit " + exit + ", expected " + run.exit() + "; "
                            + err.toString().strip());
                }
            }
        }
        return failures;
    }

    /** The recorded answers: "METHOD /path" to the JSON body a real server gave. */
    static Map<String, String> answers() {
        try (InputStream in = AotTraining.class.getResourceAsStream(ANSWERS)) {
            if (in == null) {
                throw new IllegalStateException(ANSWERS + " is missing from the mmctl jar");
            }
            JsonNode all = Json.mapper().readTree(in);
            Map<String, String> out = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().toString());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A loopback server (the JDK's httpserver) that answers each recorded "METHOD /path" with its body,
     * {@code {{self}}} replaced by its own URL (a node's address in /nodes, so predictions come back here), and anything else with the
     * control plane's 404 body.
     */
    private static final class Replay implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, String> answers;

        Replay(Map<String, String> answers) throws IOException {
            this.answers = answers;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::answer);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void answer(HttpExchange ex) throws IOException {
            try (ex) {
                ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
                String key = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
                String body = answers.get(key);
                int status = body == null ? 404 : 200;
                if (body == null) {
                    body = "{\"status\":404,\"error\":\"not_found\",\"message\":\"no " + key + " was recorded\"}";
                }
                byte[] bytes = body.replace("{{self}}", url()).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length);
                ex.getResponseBody().write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
