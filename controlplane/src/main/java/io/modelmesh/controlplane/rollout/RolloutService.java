package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.CanaryRequest;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.RollbackRequest;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.controlplane.deploy.RoutePlanner;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.server.errors.InvalidInputException;
import io.modelmesh.server.errors.NotFoundException;
import io.modelmesh.controlplane.registry.ModelNames;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.RolloutRepository;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Canary rollouts by command: start, promote and roll back by hand, and a model's rollback. */
public final class RolloutService {
    private final DeploymentService deployments;
    private final RolloutRepository rollouts;
    private final RolloutController controller;

    public RolloutService(DeploymentService deployments, RolloutRepository rollouts, RolloutController controller) {
        this.deployments = deployments;
        this.rollouts = rollouts;
        this.controller = controller;
    }

    /** @param created false when the same canary was already running (nothing new written) */
    public record Started(RolloutStatus rollout, boolean created) {
    }

    /**
     * Starts a canary of {@code request.version} next to the model's current stable version: writes the canary spec as
     * a new revision (whose hook creates the rollout) and pushes it. The same canary while it runs is left as it is;
     * the same canary after it ended starts again.
     */
    public Started start(CanaryRequest request, String user) {
        if (request == null || request.model() == null || request.version() == null) {
            throw new InvalidInputException("send {\"model\": NAME, \"version\": \"X.Y.Z\", \"percent\": 1..99} or "
                    + "{..., \"steps\": [5, 25, 50, 100], \"step_interval_seconds\": 60}");
        }
        String model = ModelNames.require(request.model());
        DeploymentRecord latest = deployments.latest(model).orElseThrow(() -> new ConflictException("model '" + model
                + "' has no deployment to run a canary next to; deploy a stable version first with "
                + "mmctl deploy " + model + " --version X.Y.Z (POST /deployments)"));
        DeploymentSpec spec = deployments.resolve(model, new DeploymentSpec(DeploymentSpec.Strategy.CANARY,
                stableOf(latest), canary(request), null, null, latest.serving(), latest.drift()));
        PlannedChange planned = deployments.plan(model, spec, change(spec.canary()), "api",
                request.schemaChangeAllowed());
        Optional<RolloutStatus> running = rollouts.running(model);
        if (spec.equals(latest.spec())) {
            if (running.isPresent()) {
                return new Started(running.get(), false);
            }
            deployments.publish(deployments.write(List.of(planned), user).getFirst());
        } else {
            deployments.apply(planned, user);
        }
        return new Started(rollouts.running(model).orElseGet(() -> rollouts.latest(model).orElseThrow()), true);
    }

    public RolloutStatus get(long id) {
        return rollouts.find(id).orElseThrow(() -> noRollout(id));
    }

    /** The model's newest rollout. @throws NotFoundException when it never had one */
    public RolloutStatus latest(String model) {
        ModelNames.require(model);
        return rollouts.latest(model).orElseThrow(() -> new NotFoundException("model '" + model
                + "' has never had a canary; start one with mmctl canary " + model
                + " --version X.Y.Z (POST /deployments/canary)"));
    }

    public RolloutStatus promote(long id, String user) {
        controller.promote(id, user);
        return get(id);
    }

    public RolloutStatus rollBack(long id, String user) {
        controller.rollBack(id, user);
        return get(id);
    }

    /** Promotes the model's RUNNING canary. @throws NotFoundException when none runs */
    public RolloutStatus promoteModel(String model, String user) {
        return promote(runningOf(model).id(), user);
    }

    /** Aborts the model's RUNNING canary (Argo's abort): back to 0 %, ended ABORTED. @throws NotFoundException */
    public RolloutStatus abortModel(String model, String user) {
        long id = runningOf(model).id();
        controller.abort(id, user);
        return get(id);
    }

    /** Pauses the model's RUNNING canary. @throws NotFoundException when none runs */
    public RolloutStatus pauseModel(String model, String user) {
        return controller.pause(runningOf(model).id(), user);
    }

    /** Resumes the model's paused canary. @throws NotFoundException when none runs */
    public RolloutStatus resumeModel(String model, String user) {
        return controller.resume(runningOf(model).id(), user);
    }

    /**
     * Starts the model's latest canary again from its first step (Argo's retry) when it ended ROLLED_BACK or ABORTED
     * and the model still runs that canary's spec: a new revision with the same spec, whose hook starts a new rollout.
     *
     * @throws NotFoundException when the model never had a canary
     * @throws ConflictException when its latest canary runs or was promoted, or another strategy replaced it
     */
    public RolloutStatus retryModel(String model, String user) {
        RolloutStatus last = latest(model);
        if (RolloutRepository.RUNNING.equals(last.state()) || RolloutRepository.PROMOTED.equals(last.state())) {
            throw new ConflictException("rollout " + last.id() + " of model '" + model + "' is " + last.state()
                    + "; retry starts a canary that was rolled back or aborted again");
        }
        DeploymentRecord current = deployments.latest(model).orElseThrow();
        DeploymentSpec spec = current.spec();
        if (spec == null || spec.strategy() != DeploymentSpec.Strategy.CANARY || spec.canary() == null
                || !spec.canary().version().equals(last.canaryVersion())) {
            throw new ConflictException("model '" + model + "' no longer runs the canary of " + last.canaryVersion()
                    + " (revision " + current.modelRevision() + ": " + current.change() + "); start one with mmctl "
                    + "canary " + model + " --version X.Y.Z");
        }
        PlannedChange planned = deployments.plan(model, spec, "retry: " + change(spec.canary()), "api");
        deployments.publish(deployments.write(List.of(planned), user).getFirst());
        return rollouts.running(model).orElseGet(() -> rollouts.latest(model).orElseThrow());
    }

    /**
     * With {@code toRevision}: restores that revision's route and spec as a new revision. Without: rolls back the
     * running canary, or else returns to the latest earlier revision with another spec (another route for revisions
     * without a spec).
     */
    public DeploymentStatus rollbackModel(String model, RollbackRequest request, String user) {
        ModelNames.require(model);
        if (request != null && request.toRevision() != null) {
            return restore(deployments.revision(model, request.toRevision()), user);
        }
        Optional<RolloutStatus> running = rollouts.running(model);
        if (running.isPresent()) {
            return controller.rollBack(running.get().id(), user);
        }
        List<DeploymentStatus> history = deployments.history(model);
        DeploymentStatus current = history.getFirst();
        DeploymentStatus before = history.stream().skip(1)
                .filter(d -> current.spec() != null && d.spec() != null ? !d.spec().equals(current.spec())
                        : !d.route().equals(current.route()))
                .findFirst().orElseThrow(() -> new ConflictException("model '" + model + "' has no earlier "
                        + "deployment to roll back to (current revision " + current.id() + "); see mmctl history "
                        + model));
        return restore(deployments.revision(model, before.id()), user);
    }

    /**
     * Writes {@code target}'s route and spec as a new revision, without the faults a chaos drill had set on it (faults
     * are not desired state: {@code rollback --to} a revision made while a fault was set must not set it again).
     */
    private DeploymentStatus restore(DeploymentRecord target, String user) {
        deployments.requireRegisteredVersions(target);
        DeploymentRecord latest = deployments.latest(target.model()).orElseThrow();
        ModelRoute route = RoutePlanner.withoutFaults(target.route());
        if (latest.route().equals(route) && Objects.equals(latest.spec(), target.spec())) {
            return deployments.publish(latest);
        }
        boolean dropped = !route.equals(target.route());
        PlannedChange change = new PlannedChange(target.model(), target.spec(), route,
                "rollback to revision " + target.modelRevision() + (dropped ? " (without its chaos fault)" : ""),
                "api");
        return deployments.publish(deployments.write(List.of(change), user).getFirst());
    }

    private RolloutStatus runningOf(String model) {
        ModelNames.require(model);
        return rollouts.running(model).orElseThrow(() -> new NotFoundException("model '" + model
                + "' has no running canary" + rollouts.latest(model).map(r -> " (its latest, rollout " + r.id()
                + ", is " + r.state() + ")").orElse("") + "; start one with mmctl canary " + model
                + " --version X.Y.Z (POST /deployments/canary)"));
    }

    static NotFoundException noRollout(long id) {
        return new NotFoundException("no canary rollout " + id + " (GET /deployments/{model}/canary shows a model's "
                + "latest)");
    }

    private static String stableOf(DeploymentRecord latest) {
        if (latest.spec() != null && latest.spec().strategy() == DeploymentSpec.Strategy.AB) {
            throw new ConflictException("model '" + latest.model() + "' is in an A/B split (revision "
                    + latest.modelRevision() + "); a canary needs one stable version: deploy one first (mmctl deploy)");
        }
        return latest.stableVersion().orElseThrow(() -> new ConflictException("model '" + latest.model()
                + "' has no stable version in revision " + latest.modelRevision() + "; deploy one first (mmctl deploy)"));
    }

    private static CanarySpec canary(CanaryRequest r) {
        AnalysisPolicy analysis;
        try {
            analysis = new AnalysisPolicy(r.maxErrorRate(), r.maxP99Ms(), r.minRequests(), r.windowSeconds(),
                    r.maxPsi(), r.failureLimit(), r.inconclusiveLimit());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        return new CanarySpec(r.version(), r.percent(), r.steps(), r.stepIntervalSeconds(), analysis.withDefaults());
    }

    /** "canary 1.1.0 at 5% (steps 5,25,50,100 every 30 s; max error rate 5%, p99 <= 50 ms, min 20 requests)". */
    static String change(CanarySpec c) {
        AnalysisPolicy a = c.analysis().withDefaults();
        String plan = c.steps().isEmpty() ? "promote by hand"
                : "steps " + c.steps().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))
                + " every " + (c.stepIntervalSeconds() == null ? CanarySpec.DEFAULT_STEP_INTERVAL_SECONDS
                : c.stepIntervalSeconds()) + " s";
        return "canary " + c.version() + " at " + c.initialPercent() + "% (" + plan + "; max error rate "
                + number(a.maxErrorRate() * 100) + "%" + (a.maxP99Ms() == null ? "" : ", p99 <= "
                + number(a.maxP99Ms()) + " ms") + ", min " + a.minRequests() + " requests in " + a.windowSeconds()
                + " s" + (a.maxPsi() == null ? "" : ", max PSI " + number(a.maxPsi()))
                + (a.failureLimit() == 1 ? "" : ", " + a.failureLimit() + " failing windows")
                + (a.inconclusiveLimit() == null ? "" : a.inconclusiveLimit() == 0 ? ", no inconclusive limit"
                : ", stop after " + a.inconclusiveLimit() + " inconclusive windows") + ")";
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
