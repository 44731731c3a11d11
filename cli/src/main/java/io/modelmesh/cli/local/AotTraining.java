package io.modelmesh.cli.local;

import io.modelmesh.cli.CliEnvironment;
import io.modelmesh.cli.ClientFactory;
import io.modelmesh.cli.MmCtl;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.RetryPolicy;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * The training run install.sh records mmctl's ahead-of-time cache with (JDK 25's {@code -XX:AOTCacheOutput}): in one
 * JVM it runs what most invocations do — build the command tree, print help, parse options, make an SDK client and
 * send a request (to a port nothing listens on, so the run needs no server and changes nothing), render the error —
 * so the classes those paths load are parsed, verified and linked once at install time instead of on every call.
 * Output is discarded; the exit code is always 0 because a training run cannot fail the install.
 */
public final class AotTraining {
    /** The standard client without retries: a refused connection fails at once instead of backing off. */
    private static final ClientFactory NO_RETRIES = (controlPlanes, dataPlanes, token, tlsCa) ->
            ModelMeshClient.builder().controlPlanes(controlPlanes).token(token).retryPolicy(RetryPolicy.none()).build();

    private AotTraining() {
    }

    public static void main(String[] args) {
        String nowhere = "http://127.0.0.1:9";   // the discard port: connection refused at once
        Map<String, String> env = Map.of("MM_HOME", System.getProperty("java.io.tmpdir") + "/mmctl-aot-training");
        List<String[]> runs = List.of(
                new String[] {"--help"},
                new String[] {"list", "--help"},
                new String[] {"list", "-o", "json", "--control-plane", nowhere},
                new String[] {"versions", "iris", "--control-plane", nowhere},
                new String[] {"status", "-o", "yaml", "--control-plane", nowhere},
                new String[] {"history", "iris", "--control-plane", nowhere},
                new String[] {"completion", "bash"});
        for (String[] run : runs) {
            CommandLine cl = MmCtl.commandLine(NO_RETRIES, CliEnvironment.of(env));
            cl.setOut(new PrintWriter(Writer.nullWriter()));
            cl.setErr(new PrintWriter(Writer.nullWriter()));
            cl.execute(run);
        }
    }
}
