package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.api.Json;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.Durations;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Printer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code mmctl deploy NAME --version V}: one version at 100 %, acknowledged by the live nodes. */
@Command(name = "deploy", header = "Put one version of a model live at 100%% of traffic.",
        description = {"Writes a new deployment revision, pushes the routing table to every live data-plane node and "
                + "waits until they have loaded and warmed the version (bounded by the control plane's push timeout). "
                + "Nodes that did not acknowledge catch up on their next heartbeat; they are listed as a warning.", ""})
public final class DeployCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "X.Y.Z",
            description = "The registered version to serve, or an alias (@champion).")
    String version;

    @Option(names = "--max-batch-size", paramLabel = "N",
            description = "Batch up to N concurrent rows into one engine call (1 = off). Default: keep the current setting.")
    Integer maxBatchSize;

    @Option(names = "--max-latency-ms", paramLabel = "MS",
            description = "Longest a request waits for its batch to fill. Default: keep the current setting.")
    Integer maxLatencyMs;

    @Option(names = "--cache-ttl", paramLabel = "SECONDS",
            description = "Serve repeated inputs from the prediction cache for this long (0 = off). Default: keep.")
    Integer cacheTtlSeconds;

    @Option(names = "--drift-window", paramLabel = "N",
            description = "Rows in each drift window, 500..10000 (see 'mmctl drift'). Default: keep (initially 1000).")
    Integer driftWindow;

    @Option(names = "--max-concurrency", paramLabel = "N",
            description = "Requests of the version each node serves at once; more wait in its queue "
                    + "(0 = the node's default, from its cores). Default: keep.")
    Integer maxConcurrency;

    @Option(names = "--max-queue", paramLabel = "N",
            description = "Requests that may wait on each node; beyond it a request is refused at once with 429 "
                    + "(0 = the node's default). Default: keep.")
    Integer maxQueue;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Each request's deadline, e.g. 500ms or 2s (at most 10m; 0s = the node's default, 5s); a "
                    + "request still waiting then is refused with 503. Default: keep.")
    Duration timeout;

    @Option(names = "--fallback", paramLabel = "none|cached|default", converter = FallbackConverter.class,
            description = "When the version fails or sheds a request, answer (marked degraded) with the last answer "
                    + "for the same input (cached) or --default-output (default); none answers the error. "
                    + "Default: keep.")
    ServingPolicy.Fallback fallback;

    @Option(names = "--default-output", paramLabel = "JSON",
            description = "The answer of --fallback default: output name to one row's value, e.g. "
                    + "'{\"label\": \"unknown\"}' (implies --fallback default).")
    String defaultOutput;

    @Option(names = "--dry-run",
            description = "Let the control plane check and plan the deploy, and show it; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        DeployRequest request = new DeployRequest(name, version, maxBatchSize, maxLatencyMs,
                cacheTtlSeconds, driftWindow, maxConcurrency, maxQueue, timeoutMs(), fallback, defaultOutput());
        Printer printer = printer();
        if (dryRun) { // the control plane checks and plans it, and writes nothing
            DeploymentStatus planned = client().previewDeploy(request);
            printer.print(planned, DeployCommand::table);
            printer.note("dry run: nothing written, no node notified");
            return ExitCodes.OK;
        }
        DeploymentStatus d = client().deploy(request);
        printer.print(d, DeployCommand::table);
        if (d.nodesTotal() == 0) {
            printer.warn("no live data-plane node; " + name + " " + version + " is served as soon as one registers");
        } else if (d.nodesAcked() < d.nodesTotal()) {
            printer.warn((d.nodesTotal() - d.nodesAcked()) + " node(s) have not acknowledged yet; they catch up on their "
                    + "next heartbeat (check: mmctl status)");
        }
        return ExitCodes.OK;
    }

    public static List<Block> table(DeploymentStatus d) {
        Details.Builder b = Details.builder()
                .add("model", d.model())
                .add("revision", d.id())
                .add("change", d.change())
                .add("targets", d.route() == null ? null : targets(d.route().targets()))
                .add("serving", d.route() == null ? null : policy(d.route().policy()))
                .add("acks", acks(d))
                .add("created", Format.instant(d.createdAt()) + (d.createdBy() == null ? "" : " by " + d.createdBy()));
        if (!d.errors().isEmpty()) {
            b.add("errors", Cell.bad(String.join("\n", d.errors())));
        }
        return List.of(b.build());
    }

    private Integer timeoutMs() {
        if (timeout == null) {
            return null;
        }
        if (timeout.toMillis() > ServingPolicy.MAX_TIMEOUT_MS) {
            throw CliException.invalidInput("--timeout must be at most 10m (0s: the node's default), got "
                    + Durations.format(timeout));
        }
        return (int) timeout.toMillis();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> defaultOutput() {
        if (defaultOutput == null) {
            return null;
        }
        try {
            Object value = Json.mapper().readValue(defaultOutput, Object.class);
            if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                return (Map<String, Object>) map;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CliException.invalidInput("--default-output is not JSON (" + e.getOriginalMessage()
                    + "); give an object of output name to value, e.g. '{\"label\": \"unknown\"}'");
        }
        throw CliException.invalidInput("--default-output must be a JSON object of output name to value, e.g. "
                + "'{\"label\": \"unknown\"}'");
    }

    static String policy(ServingPolicy p) {
        StringBuilder b = new StringBuilder((p.batching() ? "batches of up to " + p.maxBatchSize()
                + " rows, waiting at most " + p.maxLatencyMs() + " ms" : "no batching") + "; "
                + (p.caching() ? "cache " + p.cacheTtlSeconds() + " s" : "no cache"));
        if (p.maxConcurrency() > 0 || p.maxQueue() > 0 || p.timeoutMs() > 0) { // else the node's defaults
            b.append("; ").append(p.maxConcurrency() > 0 ? p.maxConcurrency() + " at once" : "node's concurrency")
                    .append(", ").append(p.maxQueue() > 0 ? p.maxQueue() + " waiting" : "node's queue")
                    .append(", ").append(p.timeoutMs() > 0 ? "deadline " + Durations.format(Duration.ofMillis(
                            p.timeoutMs())) : "node's deadline");
        }
        if (p.fallback() != ServingPolicy.Fallback.NONE) {
            b.append("; fallback ").append(p.fallback().wireName());
        }
        return b.toString();
    }

    /** {@code none}, {@code cached} or {@code default}, any case. */
    public static final class FallbackConverter implements CommandLine.ITypeConverter<ServingPolicy.Fallback> {
        @Override
        public ServingPolicy.Fallback convert(String value) {
            try {
                return ServingPolicy.Fallback.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static String targets(List<RouteTarget> targets) {
        return targets.stream().map(t -> t.version() + " " + t.weight() + "%"
                        + (t.role() == null ? "" : " " + t.role().name().toLowerCase(java.util.Locale.ROOT)))
                .collect(Collectors.joining("\n"));
    }

    static Cell acks(DeploymentStatus d) {
        String text = d.nodesAcked() + "/" + d.nodesTotal() + " nodes";
        return d.nodesTotal() > 0 && d.nodesAcked() == d.nodesTotal() ? Cell.good(text) : Cell.warn(text);
    }
}
