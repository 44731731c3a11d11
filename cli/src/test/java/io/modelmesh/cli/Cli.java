package io.modelmesh.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs mmctl exactly as main does, with captured stdout/stderr and no terminal. */
public final class Cli {
    private Cli() {
    }

    public record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result run(String... args) {
        return run(ClientFactory.standard(), Map.of(), args);
    }

    /**
     * Runs mmctl in-process with these environment variables only; without MM_HOME it gets one that does not exist,
     * so no token file of the machine's user is ever read.
     */
    public static Result run(ClientFactory clients, Map<String, String> env, String... args) {
        Map<String, String> vars = new java.util.HashMap<>(env);
        vars.putIfAbsent("MM_HOME", "/nonexistent/mmctl-test-home");
        vars.putIfAbsent("XDG_CONFIG_HOME", "/nonexistent/mmctl-test-config"); // no config or cache of the machine's
        CommandLine cl = MmCtl.commandLine(clients, CliEnvironment.of(vars), args);   // as main builds it
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
