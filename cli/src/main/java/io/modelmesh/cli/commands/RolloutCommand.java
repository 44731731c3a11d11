package io.modelmesh.cli.commands;

import io.modelmesh.api.RolloutState;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.Durations;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Printer;
import io.modelmesh.sdk.ModelMeshClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code mmctl rollout abort|pause|resume|retry|status NAME}: control a model's canary rollout (Argo's verbs). */
@Command(name = "rollout", header = "Control a model's canary rollout: abort, pause, resume, retry, status.",
        description = {"The verbs of Argo Rollouts for the model's latest canary. 'pause' holds the canary at its "
                + "share: until 'resume' it neither moves to its next step nor acts on its analysis (no automatic "
                + "rollback or promotion); resuming starts the current step again. 'abort' puts the canary back to "
                + "0%% and ends the rollout ABORTED; 'retry' starts a rolled-back or aborted canary again from its "
                + "first step. 'status' waits until the rollout ends and exits 0 when it was promoted, 1 when it was "
                + "rolled back or aborted (for CI).", ""},
        subcommands = {RolloutCommand.Abort.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class,
                RolloutCommand.Retry.class, RolloutCommand.Status.class},
        synopsisSubcommandLabel = "(abort | pause | resume | retry | status)")
public final class RolloutCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: mmctl rollout "
                + "abort|pause|resume|retry|status NAME");
    }

    /** A verb on the model's running (or last) rollout that prints the rollout as it is afterwards. */
    abstract static class Verb extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        abstract RolloutStatus act(ModelMeshClient client, String model);

        @Override
        public Integer call() {
            printer().print(act(client(), name), CanaryCommand::table);
            return ExitCodes.OK;
        }
    }

    @Command(name = "abort", header = "Abort the running canary: back to 0%%, the rollout ends ABORTED.",
            description = {"Exits 3 when the model has no running canary.", ""})
    public static final class Abort extends Verb {
        @Override
        RolloutStatus act(ModelMeshClient client, String model) {
            return client.abortRollout(model);
        }
    }

    @Command(name = "pause", header = "Pause the running canary: no step, no automatic rollback or promotion.",
            description = {"The canary keeps its share of traffic. Exits 3 without a running canary, 4 when it is "
                    + "already paused.", ""})
    public static final class Pause extends Verb {
        @Override
        RolloutStatus act(ModelMeshClient client, String model) {
            return client.pauseRollout(model);
        }
    }

    @Command(name = "resume", header = "Resume a paused canary; its current step starts again.",
            description = {"Exits 3 without a running canary, 4 when it is not paused.", ""})
    public static final class Resume extends Verb {
        @Override
        RolloutStatus act(ModelMeshClient client, String model) {
            return client.resumeRollout(model);
        }
    }

    @Command(name = "retry", header = "Start a rolled-back or aborted canary again from its first step.",
            description = {"Exits 4 when the latest canary runs or was promoted, or the model moved on to another "
                    + "strategy since (start a new one with 'mmctl canary').", ""})
    public static final class Retry extends Verb {
        @Override
        RolloutStatus act(ModelMeshClient client, String model) {
            return client.retryRollout(model);
        }
    }

    @Command(name = "status", header = "Wait for the model's rollout to end; exit 1 if it was rolled back or aborted.",
            description = {"Prints the rollout once it ended: exit 0 when PROMOTED, 1 when ROLLED_BACK or ABORTED "
                    + "(the reason on stderr), 1 when it still runs after --timeout, 3 when the model never had a "
                    + "canary. A paused rollout is waited for (a note on stderr says so). --no-wait prints the "
                    + "rollout as it is now and exits as if it had ended there (0 while it runs).", ""})
    public static final class Status extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Model name.")
        String name;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
                converter = Durations.Converter.class, description = "How long to wait (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s",
                converter = Durations.Converter.class,
                description = "How often to ask the control plane (default ${DEFAULT-VALUE}).")
        Duration interval;

        @Option(names = "--no-wait", description = "Do not wait: print the rollout as it is now.")
        boolean noWait;

        @Override
        public Integer call() throws InterruptedException {
            if (interval.isZero() || interval.isNegative()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
            }
            ModelMeshClient client = client();
            Printer printer = printer();
            long deadline = System.nanoTime() + timeout.toNanos();
            RolloutStatus r = client.rolloutOf(name);
            String seen = null;
            while (!noWait && r.state() == RolloutState.RUNNING) {
                String now = r.percent() + "%" + (r.paused() ? " (paused)" : "");
                if (!now.equals(seen)) {
                    printer.note("rollout " + r.id() + " of " + name + ": canary " + r.canaryVersion() + " at " + now
                            + (r.reason() == null ? "" : ": " + r.reason()));
                    seen = now;
                }
                if (System.nanoTime() - deadline >= 0) {
                    printer.print(r, CanaryCommand::table);
                    throw CliException.failure("rollout " + r.id() + " of " + name + " is still RUNNING after "
                            + Durations.format(timeout) + (r.paused() ? " (paused by " + r.pausedBy() + ")" : ""));
                }
                Thread.sleep(interval.toMillis());
                r = client.rolloutOf(name);
            }
            printer.print(r, CanaryCommand::table);
            if (r.state() == RolloutState.ROLLED_BACK || r.state() == RolloutState.ABORTED) {
                throw CliException.failure("rollout " + r.id() + " of " + name + " was " + r.state()
                        + (r.reason() == null ? "" : ": " + r.reason()));
            }
            return ExitCodes.OK;
        }
    }
}
