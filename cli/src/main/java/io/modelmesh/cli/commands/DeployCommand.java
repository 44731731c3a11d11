package io.modelmesh.cli.commands;

import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.DeployRequest;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.ServingPolicy;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import io.modelmesh.cli.output.Printer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.stream.Collectors;

/** {@code mmctl deploy NAME --version V}: one version at 100 %, acknowledged by the live nodes. */
@Command(name = "deploy", header = "Put one version of a model live at 100%% of traffic.",
        description = {"Writes a new deployment revision, pushes the routing table to every live data-plane node and "
                + "waits until they have loaded and warmed the version (bounded by the control plane's push timeout). "
                + "Nodes that did not acknowledge catch up on their next heartbeat; they are listed as a warning.", ""})
public final class DeployCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "X.Y.Z", description = "The registered version to serve.")
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

    @Override
    public Integer call() {
        DeploymentStatus d = client().deploy(new DeployRequest(name, version, maxBatchSize, maxLatencyMs,
                cacheTtlSeconds, driftWindow));
        Printer printer = printer();
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

    static String policy(ServingPolicy p) {
        return (p.batching() ? "batches of up to " + p.maxBatchSize() + " rows, waiting at most " + p.maxLatencyMs()
                + " ms" : "no batching") + "; " + (p.caching() ? "cache " + p.cacheTtlSeconds() + " s" : "no cache");
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
