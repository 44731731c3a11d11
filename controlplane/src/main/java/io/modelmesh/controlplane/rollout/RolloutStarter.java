package io.modelmesh.controlplane.rollout;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.CanarySpec;
import io.modelmesh.api.DeploymentSpec;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.controlplane.deploy.RevisionHook;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.RolloutRepository;

import java.util.Objects;
import java.util.Optional;

/**
 * Starts and ends rollouts as revisions are written (inside their transaction), so a manifest ({@code mmctl apply})
 * and the imperative API start canaries the same way. Revisions the rollout controller writes are its own business
 * and are skipped. A revision from elsewhere:
 * <ul>
 *   <li>with another spec than the revision before, or without the running canary in its route, ends the model's
 *       RUNNING rollout as ABORTED ("replaced by revision N: change") and starts the model's totals again;</li>
 *   <li>with a canary spec whose route has the canary, starts a RUNNING rollout when none is left running (a new
 *       canary, or the same one tried again with {@code mmctl canary} or {@code mmctl rollout retry} after a
 *       rollback, whose totals start again too, so it is not judged by its predecessor's errors).</li>
 * </ul>
 */
public final class RolloutStarter implements RevisionHook {
    /** The {@code source} of revisions the rollout controller writes. */
    public static final String CONTROLLER = "controller";
    /** The {@code source} of chaos revisions (fault injection). */
    public static final String CHAOS = "chaos";

    private final RolloutRepository rollouts;
    private final OutcomeStore outcomes;

    public RolloutStarter(RolloutRepository rollouts, OutcomeStore outcomes) {
        this.rollouts = rollouts;
        this.outcomes = outcomes;
    }

    @Override
    public void written(DbExecute tx, DeploymentRecord written, Optional<DeploymentRecord> previous) {
        if (CONTROLLER.equals(written.source()) || CHAOS.equals(written.source())) {
            return; // the controller's own steps, and drills, which change faults and never the desired state
        }
        boolean specChanged = previous.isEmpty() || written.spec() == null
                || !Objects.equals(previous.get().spec(), written.spec());
        if (specChanged) {
            outcomes.reset(tx, written.model(), written.createdAt(), written.revision());
        }
        Optional<RouteTarget> canary = canaryTarget(written);
        Optional<RolloutStatus> running = rollouts.running(tx, written.model());
        if (running.isPresent() && (specChanged || canary.isEmpty()
                || !canary.get().version().equals(running.get().canaryVersion()))) {
            RolloutStatus r = running.get();
            rollouts.finish(tx, r.id(), r.stepIndex(), RolloutRepository.ABORTED, r.percent(), "replaced by revision "
                    + written.modelRevision() + ": " + written.change(), written.revision(), written.createdAt(), true);
            running = Optional.empty();
        }
        if (running.isEmpty() && canary.isPresent()) {
            if (!specChanged) {
                // the same canary again (mmctl canary, mmctl rollout retry): judged on its own traffic only
                outcomes.reset(tx, written.model(), written.createdAt(), written.revision());
            }
            rollouts.insert(tx, rollout(written, canary.get()));
        }
    }

    private static Optional<RouteTarget> canaryTarget(DeploymentRecord r) {
        if (r.spec() == null || r.spec().strategy() != DeploymentSpec.Strategy.CANARY || r.spec().canary() == null) {
            return Optional.empty();
        }
        return r.route().targets().stream().filter(t -> t.role() == RouteTarget.Role.CANARY && t.weight() > 0)
                .findFirst();
    }

    private static RolloutStatus rollout(DeploymentRecord r, RouteTarget canary) {
        CanarySpec c = r.spec().canary();
        String stable = r.route().targets().stream().filter(t -> t.role() == RouteTarget.Role.STABLE)
                .map(RouteTarget::version).findFirst().orElse(r.spec().stable());
        int index = Math.max(0, c.steps().indexOf(canary.weight()));
        int interval = c.stepIntervalSeconds() == null ? CanarySpec.DEFAULT_STEP_INTERVAL_SECONDS
                : c.stepIntervalSeconds();
        AnalysisPolicy analysis = (c.analysis() == null ? AnalysisPolicy.defaults() : c.analysis()).withDefaults();
        return new RolloutStatus(0, r.model(), stable, canary.version(), RolloutRepository.RUNNING, canary.weight(),
                c.steps(), index, interval, analysis, "started by revision " + r.modelRevision() + ": " + r.change(),
                r.revision(), r.createdBy(), r.createdAt(), r.createdAt(), null);
    }
}
