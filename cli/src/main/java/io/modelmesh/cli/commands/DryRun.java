package io.modelmesh.cli.commands;

import io.modelmesh.api.RolloutState;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.cli.CliException;
import io.modelmesh.cli.ExitCodes;
import io.modelmesh.cli.output.Block;
import io.modelmesh.cli.output.Details;
import io.modelmesh.sdk.ModelMeshClient;
import io.modelmesh.sdk.ModelMeshException;

import java.util.List;

/**
 * {@code --dry-run} of canary, promote and rollback: reads the current state (deployment, versions, rollout,
 * history), refuses what the control plane would refuse for that state, and says what the command would change,
 * writing nothing. {@code deploy --dry-run} asks the control plane itself ({@code POST /deployments?dry_run=true});
 * these three read, because their server side (the rollout controller) plans as it runs.
 *
 * @param model   the model
 * @param command the command that would run
 * @param would   what it would change
 * @param from    the revision it starts from (the model's latest), or null
 */
public record DryRun(String model, String command, String would, Long from) {

    static List<Block> table(DryRun d) {
        return List.of(Details.builder().add("model", d.model()).add("dry run", d.command())
                .add("would", d.would()).add("from revision", d.from()).add("written", "nothing").build());
    }

    static DryRun canary(ModelMeshClient client, CanaryRequest r) {
        List<String> versions = client.versions(r.model()).stream().map(ModelVersion::version).toList();
        if (!versions.contains(r.version())) {
            throw new ModelMeshException.NotFoundException(new io.modelmesh.api.ErrorBody(404, "not_found",
                    "model '" + r.model() + "' has no version " + r.version() + " (versions: "
                            + String.join(", ", versions) + ")", null));
        }
        DeploymentStatus current = client.deployment(r.model());
        List<RouteTarget> targets = current.route().targets();
        if (targets.stream().anyMatch(t -> t.role() == RouteTarget.Role.ARM)) {
            throw new CliException(ExitCodes.CONFLICT, "model '" + r.model() + "' is in an A/B split; to start a "
                    + "canary, first deploy one version to all traffic with mmctl deploy " + r.model()
                    + " --version X.Y.Z");
        }
        String stable = targets.stream().filter(t -> t.role() == RouteTarget.Role.STABLE).map(RouteTarget::version)
                .findFirst().orElseThrow(() -> new CliException(ExitCodes.CONFLICT, "model '" + r.model()
                        + "' serves no traffic; deploy a stable version first with mmctl deploy " + r.model()
                        + " --version X.Y.Z"));
        String split = r.steps() != null && !r.steps().isEmpty() ? "through the steps " + r.steps() + "%"
                : "at " + (r.percent() == null ? "the control plane's default" : r.percent()) + "%";
        return new DryRun(r.model(), "canary", "start a canary of " + r.version() + " " + split + " next to stable "
                + stable, current.id());
    }

    static DryRun promote(ModelMeshClient client, String model) {
        RolloutStatus r = client.rolloutOf(model);
        if (r.state() != RolloutState.RUNNING) {
            throw new CliException(ExitCodes.CONFLICT, "rollout " + r.id() + " of model '" + model + "' is "
                    + r.state() + ", not running; nothing to promote");
        }
        return new DryRun(model, "promote", "promote canary " + r.canaryVersion() + " (rollout " + r.id()
                + ", at " + r.percent() + "%) to 100%; " + r.stableVersion() + " stops serving", r.revision());
    }

    static DryRun rollback(ModelMeshClient client, String model, Long to) {
        List<DeploymentStatus> history = client.history(model);
        Long latest = history.stream().map(DeploymentStatus::id).max(Long::compare).orElse(null);
        if (to != null) {
            DeploymentStatus target = history.stream().filter(d -> d.id() == to).findFirst()
                    .orElseThrow(() -> new ModelMeshException.NotFoundException(new io.modelmesh.api.ErrorBody(404,
                            "not_found", "model '" + model + "' has no revision " + to + "; mmctl history " + model
                            + " lists them", null)));
            return new DryRun(model, "rollback --to " + to, "restore revision " + to + " (" + target.change()
                    + "): " + HistoryCommand.traffic(target.route()), latest);
        }
        try {
            RolloutStatus r = client.rolloutOf(model);
            if (r.state() == RolloutState.RUNNING) {
                return new DryRun(model, "rollback", "roll back canary " + r.canaryVersion() + " (rollout " + r.id()
                        + "): " + r.stableVersion() + " takes all traffic again", latest);
            }
        } catch (ModelMeshException.NotFoundException noCanary) {
            // not a canary: the revision before
        }
        DeploymentStatus current = history.stream().filter(d -> d.id() == latest).findFirst().orElseThrow(() ->
                new CliException(ExitCodes.CONFLICT, "model '" + model + "' has no revision to roll back to"));
        return history.stream().filter(d -> d.id() < current.id())
                .filter(d -> d.spec() == null || !d.spec().equals(current.spec()))
                .max(java.util.Comparator.comparingLong(DeploymentStatus::id))
                .map(d -> new DryRun(model, "rollback", "go back to revision " + d.id() + " (" + d.change() + "): "
                        + HistoryCommand.traffic(d.route()), latest))
                .orElseThrow(() -> new CliException(ExitCodes.CONFLICT, "model '" + model + "' has no earlier "
                        + "revision with another spec to roll back to"));
    }
}
