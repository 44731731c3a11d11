package io.modelmesh.cli.commands;

import io.modelmesh.api.ChaosRequest;
import io.modelmesh.cli.Durations;
import io.modelmesh.cli.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code mmctl chaos NAME --version V --error-rate R [--latency-ms L] [--for D]} / {@code --clear}: admin only. */
@Command(name = "chaos", header = "Inject a fault into one version on every node (admin only), or clear it.",
        description = {"A share (--error-rate) of the version's requests fails with HTTP 500 and each is delayed by "
                + "--latency-ms, on every node, for --for (e.g. 30s) or until --clear. For drills and for measuring "
                + "automatic canary rollback.",
                "Needs a token with scope admin: --token-file, else MM_TOKEN, else the file $MM_HOME/admin-token "
                        + "(MM_HOME default ~/.modelmesh), which 'mmctl up' leaves there. Exit 6 without one.", ""})
public final class ChaosCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "X.Y.Z", description = "The routed version to break.")
    String version;

    @Option(names = "--error-rate", paramLabel = "R", description = "Share of requests that fail, 0..1.")
    Double errorRate;

    @Option(names = "--latency-ms", paramLabel = "MS", description = "Delay added to each request (ms).")
    Integer latencyMs;

    @Option(names = "--for", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How long the fault lasts, e.g. 30s or 5m (default: until --clear).")
    Duration duration;

    @Option(names = "--clear", description = "Remove the version's fault.")
    boolean clear;

    @Override
    public Integer call() {
        ChaosRequest req = request();
        printer().print(client().chaos(req), DeployCommand::table);
        return ExitCodes.OK;
    }

    private ChaosRequest request() {
        if (clear) {
            if (errorRate != null || latencyMs != null || duration != null) {
                throw usage("--clear takes no --error-rate, --latency-ms or --for");
            }
            return new ChaosRequest(name, version, null, null, null, true);
        }
        if (errorRate == null && latencyMs == null) {
            throw usage("give --error-rate and/or --latency-ms (or --clear)");
        }
        if (errorRate != null && !(errorRate >= 0 && errorRate <= 1)) {
            throw usage("--error-rate must be between 0 and 1, got " + errorRate);
        }
        if (latencyMs != null && latencyMs < 0) {
            throw usage("--latency-ms must be 0 or more, got " + latencyMs);
        }
        return new ChaosRequest(name, version, errorRate == null ? 0.0 : errorRate, latencyMs,
                duration == null ? null : Durations.wholeSeconds("--for", duration), null);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
