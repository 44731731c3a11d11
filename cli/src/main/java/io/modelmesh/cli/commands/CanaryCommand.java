package io.modelmesh.cli.commands;

import io.modelmesh.api.RolloutState;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.cli.Durations;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Cell;
import io.modelmesh.cli.output.Colors;
import io.modelmesh.cli.output.Details;
import io.modelmesh.cli.output.Format;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code mmctl canary NAME --version V (--percent P | --steps ...)}: a candidate next to the stable version. */
@Command(name = "canary", header = "Start a canary: a share of traffic to a new version, rolled back automatically.",
        description = {"The candidate takes --percent of traffic (or moves through --steps, each held healthy for "
                + "--step-interval; reaching 100 promotes it). Every node reports the canary's requests, errors and "
                + "latency about every second; when, over --window and with at least --min-requests requests, the "
                + "error rate exceeds --max-error-rate or the p99 latency exceeds --max-p99-ms, the control plane "
                + "puts the canary back to 0%% on every node and records why; with --max-psi, also when its inputs "
                + "drift (see 'mmctl drift'). --failure-limit windows failing in a row roll it back (default 1); a "
                + "stepped canary stays inconclusive (too little traffic) for at most --inconclusive-limit windows "
                + "of a step, then is rolled back with the reason (default 30 windows; 0: no limit). A node that "
                + "serves the canary and stops reporting counts as a failing window. Unset thresholds take the "
                + "control plane's defaults (error rate 5%%, 20 requests, 10s window, no latency limit, no drift "
                + "gate).",
                "Follow it with 'mmctl status NAME'; finish it with 'mmctl promote NAME' or 'mmctl rollback NAME'.", ""})
public final class CanaryCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "X.Y.Z",
            description = "The candidate version, or an alias (@challenger).")
    String version;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Split split;

    /** Either one share or a list of steps. */
    static final class Split {
        @Option(names = "--percent", paramLabel = "P", description = "Fixed share of traffic, 1..99.")
        Integer percent;

        @Option(names = "--steps", paramLabel = "P,P,...", split = ",",
                description = "Shares to move through, increasing, e.g. 5,25,50,100 (100 promotes).")
        List<Integer> steps;
    }

    @Option(names = "--step-interval", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How long each step must stay healthy before the next, e.g. 30s or 5m (default: 60s).")
    Duration stepInterval;

    @Option(names = "--max-error-rate", paramLabel = "R",
            description = "Highest tolerated share of failed canary requests, 0..1 (e.g. 0.02).")
    Double maxErrorRate;

    @Option(names = "--max-p99-ms", paramLabel = "MS", description = "Highest tolerated p99 latency of the canary (ms).")
    Double maxP99Ms;

    @Option(names = "--min-requests", paramLabel = "N", description = "Fewest canary requests before a verdict.")
    Integer minRequests;

    @Option(names = "--window", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How far back the analysis looks, e.g. 10s.")
    Duration window;

    @Option(names = "--max-psi", paramLabel = "PSI",
            description = "Roll back when the canary's inputs drift: PSI of any feature over a full drift window "
                    + "against its reference above this (0.1 moderate, 0.2 significant). Default: no drift gate.")
    Double maxPsi;

    @Option(names = "--failure-limit", paramLabel = "N",
            description = "Consecutive failing windows before the canary is rolled back (default 1).")
    Integer failureLimit;

    @Option(names = "--inconclusive-limit", paramLabel = "N",
            description = "Consecutive inconclusive windows of one step before a stepped canary is stopped and "
                    + "rolled back (default 30; 0: never).")
    Integer inconclusiveLimit;

    @Option(names = "--dry-run",
            description = "Check against the current state and say what would start; write nothing.")
    boolean dryRun;

    @Option(names = "--allow-schema-change", description = "Start it although its input (feature names, row width) "
            + "differs from the stable version's; refused otherwise, the difference shown.")
    boolean allowSchemaChange;

    @Override
    public Integer call() {
        if (stepInterval != null && split.steps == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--step-interval only applies with --steps");
        }
        CanaryRequest req = new CanaryRequest(name, version, split.percent, split.steps,
                stepInterval == null ? null : Durations.wholeSeconds("--step-interval", stepInterval),
                maxErrorRate, maxP99Ms, minRequests, window == null ? null : Durations.wholeSeconds("--window", window),
                maxPsi, failureLimit, inconclusiveLimit, allowSchemaChange ? Boolean.TRUE : null);
        if (dryRun) {
            printer().print(DryRun.canary(client(), req), DryRun::table);
            return ExitCodes.OK;
        }
        printer().print(client().canary(req), CanaryCommand::table);
        return ExitCodes.OK;
    }

    /** A rollout: state, where the canary is, the thresholds and the last verdict's reason. */
    public static List<Block> table(RolloutStatus r) {
        Details.Builder b = Details.builder()
                .add("rollout", r.id())
                .add("model", r.model())
                .add("state", r.paused() ? new Cell(r.state().name() + " (paused by " + r.pausedBy() + " at "
                        + Format.instant(r.pausedAt()) + ")", Colors.toneOf("PAUSED")) : state(r.state().name()))
                .add("canary", r.canaryVersion() + " at " + r.percent() + "%" + step(r))
                // after a promotion the canary is the stable version: say so, not the version it replaced
                .add("stable", r.state() == RolloutState.PROMOTED ? r.canaryVersion() + " (promoted; was "
                        + r.stableVersion() + ")" : r.stableVersion())
                .add("analysis", analysis(r.analysis()))
                .add("reason", r.reason())
                .add("revision", r.revision())
                .add("started", Format.instant(r.startedAt()) + (r.createdBy() == null ? "" : " by " + r.createdBy()));
        if (r.finishedAt() != null) {
            b.add("finished", Format.instant(r.finishedAt()));
        }
        return List.of(b.build());
    }

    static Cell state(String state) {
        return Cell.status(state);
    }

    /** {@code  (step 2 of 4: 5,25,50,100; 30s each)}, empty without steps. */
    static String step(RolloutStatus r) {
        if (r.steps().isEmpty()) {
            return "";
        }
        return " (step " + (r.stepIndex() + 1) + " of " + r.steps().size() + ": " + r.steps().stream()
                .map(String::valueOf).collect(Collectors.joining(",")) + "; "
                + Durations.format(Duration.ofSeconds(r.stepIntervalSeconds())) + " each)";
    }

    /** {@code error rate <= 5%, p99 <= 250 ms, at least 20 requests over 10s}. */
    static String analysis(AnalysisPolicy a) {
        if (a == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (a.maxErrorRate() != null) {
            parts.add("error rate <= " + percent(a.maxErrorRate()));
        }
        if (a.maxP99Ms() != null) {
            parts.add("p99 <= " + number(a.maxP99Ms()) + " ms");
        }
        String sample = (a.minRequests() == null ? "" : "at least " + a.minRequests() + " requests")
                + (a.windowSeconds() == null ? "" : (a.minRequests() == null ? "" : " ") + "over "
                + Durations.format(Duration.ofSeconds(a.windowSeconds())));
        if (!sample.isEmpty()) {
            parts.add(sample);
        }
        if (a.maxPsi() != null) {
            parts.add("input PSI <= " + number(a.maxPsi()));
        }
        if (a.failureLimit() != null && a.failureLimit() > 1) {
            parts.add("rolled back after " + a.failureLimit() + " failing windows in a row");
        }
        if (a.inconclusiveLimit() != null) {
            parts.add(a.inconclusiveLimit() == 0 ? "no inconclusive limit"
                    : "stopped after " + a.inconclusiveLimit() + " inconclusive windows");
        }
        return String.join(", ", parts);
    }

    /** 0.05 -> "5%", 0.025 -> "2.5%". */
    static String percent(double share) {
        return number(share * 100) + "%";
    }

    /** Up to two decimals, without trailing zeros. */
    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
