package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.controlplane.cluster.Fence;
import io.modelmesh.controlplane.cluster.Leadership;
import io.modelmesh.controlplane.cluster.NotLeaderException;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.controlplane.deploy.RoutePlanner;
import io.modelmesh.controlplane.nodes.OutcomeSink;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.NodeRecord;
import io.modelmesh.controlplane.store.RolloutRepository;
import io.modelmesh.server.errors.ConflictException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Runs canaries on the control plane that holds the controller lease ({@link Leadership}): evaluates a model's
 * RUNNING rollout as soon as a node's report of canary traffic reaches this control plane, and every second from the
 * leader's jobs (step timing, reports that reached another control plane), and acts on the verdict. The new route is
 * written as a revision together with the conditional update of the rollout row and the check of the lease's fencing
 * token, in one transaction, and the nodes are told without waiting for them. Evaluations of one model are
 * serialised, and the conditional update refuses a second action on the same step, so a repeated tick, two reports at
 * once, or a deposed leader's late evaluation act at most once. Promote and roll back by hand run on any control plane.
 */
public final class RolloutController implements OutcomeSink, AutoCloseable {
    /** Who the controller's revisions are created by. */
    public static final String USER = "rollout-controller";
    private static final Logger LOG = Logger.getLogger(RolloutController.class.getName());
    /** How often an unchanged kind of verdict is written back as the rollout's reason. */
    static final Duration NOTE_EVERY = Duration.ofSeconds(2);

    private record Noted(Class<?> kind, Instant at) {
    }

    private final Rollouts rollouts;
    private final RouteChanges changes;
    private final OutcomeStore outcomes;
    private final Supplier<List<NodeRecord>> liveNodes;
    private final CanaryDrift.Source drifts;
    private final Leadership leadership;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> pending = new ConcurrentHashMap<>();
    private final Map<Long, Noted> noted = new ConcurrentHashMap<>();
    private final ExecutorService evaluations = Executors.newVirtualThreadPerTaskExecutor();
    private final Consumer<String> ended;

    /**
     * @param liveNodes  the nodes that heartbeat (with what they serve and how far behind their reports are)
     * @param drifts     where the drift gate ({@code max_psi}) reads the canary's latest drift evaluation
     * @param leadership whether this control plane runs the controller, and the fence its writes carry
     */
    public RolloutController(Rollouts rollouts, RouteChanges changes, OutcomeStore outcomes,
                             Supplier<List<NodeRecord>> liveNodes, CanaryDrift.Source drifts, Leadership leadership,
                             Clock clock) {
        this(rollouts, changes, outcomes, liveNodes, drifts, leadership, clock, outcome -> { });
    }

    /** @param ended told {@code promoted} or {@code rolled_back} when a rollout ends (for metrics) */
    public RolloutController(Rollouts rollouts, RouteChanges changes, OutcomeStore outcomes,
                             Supplier<List<NodeRecord>> liveNodes, CanaryDrift.Source drifts, Leadership leadership,
                             Clock clock, Consumer<String> ended) {
        this.ended = ended;
        this.rollouts = rollouts;
        this.changes = changes;
        this.outcomes = outcomes;
        this.liveNodes = liveNodes;
        this.drifts = drifts;
        this.leadership = leadership;
        this.clock = clock;
    }

    /** On the leader: evaluates, off the reporting request, each model the report shows canary traffic of. */
    @Override
    public void accept(OutcomeReport report) {
        if (!leadership.leading()) {
            return; // the leader reads this report from the shared store at its next tick
        }
        Set<String> models = report.versions().stream().filter(v -> v.role() == RouteTarget.Role.CANARY)
                .map(VersionOutcome::model).collect(Collectors.toSet());
        for (String model : models) {
            AtomicBoolean flag = pending.computeIfAbsent(model, m -> new AtomicBoolean());
            if (flag.compareAndSet(false, true)) {
                evaluations.submit(() -> {
                    flag.set(false);
                    safely(model, clock.instant());
                });
            }
        }
    }

    /** Evaluates every RUNNING rollout at {@code now} (the leader's jobs call this each second; tests by hand). */
    public void tick(Instant now) {
        for (RolloutStatus r : rollouts.allRunning()) {
            safely(r.model(), now);
        }
    }

    /**
     * Evaluates the model's RUNNING rollout and acts on the verdict, if this control plane leads.
     *
     * @return the revision written when the verdict changed the route
     */
    public Optional<DeploymentRecord> evaluate(String model, Instant now) {
        Optional<Fence> fence = leadership.fence();
        if (fence.isEmpty()) {
            return Optional.empty();
        }
        return locked(model, () -> {
            Optional<RolloutStatus> running = rollouts.running(model);
            if (running.isEmpty()) {
                return Optional.empty();
            }
            RolloutStatus r = running.get();
            if (r.paused()) {
                return Optional.empty(); // neither steps nor the analysis act until it is resumed
            }
            Verdict v = CanaryAnalysis.evaluate(input(r, now), r, now);
            note(r, v, now);
            return act(r, v, USER, RolloutStarter.CONTROLLER, automaticChange(r, v), fence.get(),
                    RolloutRepository.ROLLED_BACK);
        });
    }

    /** What the analysis of {@code r} reads: enough consecutive windows for both limits, and the nodes' lags. */
    private AnalysisInput input(RolloutStatus r, Instant now) {
        AnalysisPolicy a = (r.analysis() == null ? AnalysisPolicy.defaults() : r.analysis()).withDefaults();
        int count = Math.max(1, Math.max(a.failureLimit(), a.inconclusiveWindows(!r.steps().isEmpty())));
        List<CanaryWindow> windows = outcomes.windows(r.model(), r.canaryVersion(), a.windowSeconds(), count, now);
        List<AnalysisInput.NodeLag> lags = liveNodes.get().stream()
                .filter(n -> n.servingRevision() >= r.revision() && n.outcomesLagMs() != null)
                .map(n -> new AnalysisInput.NodeLag(n.nodeId(), (n.outcomesLagMs()
                        + Math.max(0, Duration.between(n.lastSeen(), now).toMillis())) / 1000))
                .toList();
        Instant since = leadership.since();
        CanaryDrift drift = a.maxPsi() == null ? null : drifts.latest(r.model(), r.canaryVersion(), r.startedAt());
        return new AnalysisInput(windows, lags, since == null ? now : since, drift);
    }

    /** Promotes the RUNNING rollout by hand. @throws ConflictException when it is not running any more */
    public DeploymentStatus promote(long id, String user) {
        return byHand(id, new Verdict.Promote("promoted by " + user), user, "promote canary {v} to 100% by " + user,
                RolloutRepository.PROMOTED);
    }

    /** Rolls the RUNNING rollout back by hand. @throws ConflictException when it is not running any more */
    public DeploymentStatus rollBack(long id, String user) {
        return byHand(id, new Verdict.RollBack("rolled back by " + user), user, "rollback of canary {v} by " + user,
                RolloutRepository.ROLLED_BACK);
    }

    /**
     * Aborts the RUNNING (or paused) rollout by hand, as Argo Rollouts' abort: the canary goes back to 0 % and the
     * rollout ends ABORTED; {@code retry} starts it again. @throws ConflictException when it is not running
     */
    public DeploymentStatus abort(long id, String user) {
        return byHand(id, new Verdict.RollBack("aborted by " + user), user, "abort of canary {v} by " + user,
                RolloutRepository.ABORTED);
    }

    /**
     * Pauses the RUNNING rollout: its share stays where it is, and until resumed it neither moves to its next step nor
     * acts on its analysis (no automatic rollback or promotion). A state change of the rollout row only (no revision),
     * so any control plane may do it; the leader's conditional updates refuse to act on a paused rollout.
     *
     * @throws ConflictException when it is not running or already paused
     */
    public RolloutStatus pause(long id, String user) {
        RolloutStatus found = rollouts.find(id).orElseThrow(() -> RolloutService.noRollout(id));
        return locked(found.model(), () -> {
            Instant now = clock.instant();
            if (!rollouts.pause(id, user, "paused by " + user + " at " + found.percent() + "%; mmctl rollout resume "
                    + found.model() + " goes on", now)) {
                RolloutStatus r = rollouts.find(id).orElseThrow();
                throw r.paused() ? new ConflictException("rollout " + id + " of model '" + r.model() + "' is already "
                        + "paused (by " + r.pausedBy() + "); mmctl rollout resume " + r.model() + " goes on")
                        : notRunning(r);
            }
            noted.remove(id);
            return rollouts.find(id).orElseThrow();
        });
    }

    /**
     * Resumes a paused rollout; its current step starts again now, so the step lasts its whole interval (and the
     * inconclusive count starts again) from the resumption. @throws ConflictException when it is not paused
     */
    public RolloutStatus resume(long id, String user) {
        RolloutStatus found = rollouts.find(id).orElseThrow(() -> RolloutService.noRollout(id));
        return locked(found.model(), () -> {
            if (!rollouts.resume(id, "resumed by " + user + " at " + found.percent() + "%", clock.instant())) {
                RolloutStatus r = rollouts.find(id).orElseThrow();
                throw RolloutRepository.RUNNING.equals(r.state()) ? new ConflictException("rollout " + id
                        + " of model '" + r.model() + "' is not paused") : notRunning(r);
            }
            noted.remove(id);
            return rollouts.find(id).orElseThrow();
        });
    }

    /** Stops evaluations under way (the leader's jobs stop with the lease). */
    @Override
    public void close() {
        evaluations.shutdown();
        try {
            evaluations.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DeploymentStatus byHand(long id, Verdict v, String user, String changeFormat, RolloutState endState) {
        RolloutStatus found = rollouts.find(id).orElseThrow(() -> RolloutService.noRollout(id));
        return locked(found.model(), () -> {
            RolloutStatus r = rollouts.find(id).orElseThrow();
            if (!RolloutRepository.RUNNING.equals(r.state())) {
                throw notRunning(r);
            }
            DeploymentRecord written = act(r, v, user, "api", changeFormat.replace("{v}", r.canaryVersion()), null,
                    endState)
                    .orElseThrow(() -> notRunning(rollouts.find(id).orElseThrow()));
            return changes.publish(written);
        });
    }

    static ConflictException notRunning(RolloutStatus r) {
        return new ConflictException("rollout " + r.id() + " of model '" + r.model() + "' is " + r.state()
                + (r.reason() == null ? "" : " (" + r.reason() + ")") + ", not running; start a new canary with "
                + "mmctl canary " + r.model() + " --version X.Y.Z (POST /deployments/canary)");
    }

    /** Writes the verdict's record of the rollout's reason, when its kind changed or every {@link #NOTE_EVERY}. */
    private void note(RolloutStatus r, Verdict v, Instant now) {
        Noted last = noted.get(r.id());
        if (last != null && last.kind() == v.getClass() && Duration.between(last.at(), now).compareTo(NOTE_EVERY) < 0) {
            return;
        }
        try {
            rollouts.note(r.id(), v.reason(), now);
            noted.put(r.id(), new Noted(v.getClass(), now));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "cannot record the reason of rollout " + r.id(), e);
        }
    }

    /**
     * Writes the route the verdict calls for, with the rollout's conditional change (and, for the controller's own
     * actions, the fence check) in the same transaction. Nodes are told without waiting when {@code fence} is given;
     * by hand, the caller publishes and waits.
     *
     * @return the revision written, or empty when nothing was to do or the rollout changed meanwhile
     */
    private Optional<DeploymentRecord> act(RolloutStatus r, Verdict v, String user, String source, String change,
                                           Fence fence, RolloutState rollbackState) {
        if (v instanceof Verdict.Continue || v instanceof Verdict.Inconclusive) {
            return Optional.empty();
        }
        DeploymentRecord latest = changes.latest(r.model()).orElseThrow();
        if (latest.route().targets().stream().noneMatch(t -> t.role() == RouteTarget.Role.CANARY)) {
            LOG.warning("rollout " + r.id() + ": revision " + latest.revision() + " has no canary; left to its hook");
            return Optional.empty();
        }
        ModelRoute route = switch (v) {
            case Verdict.RollBack b -> RoutePlanner.withoutCanary(latest.route());
            case Verdict.Advance a -> RoutePlanner.withCanaryPercent(latest.route(), a.toPercent());
            case Verdict.Promote p -> RoutePlanner.promoted(latest.route());
            default -> throw new IllegalStateException("no action for " + v);
        };
        PlannedChange planned = new PlannedChange(r.model(), latest.spec(), route, change, source);
        DeploymentRecord written;
        try {
            written = changes.write(planned, user, (tx, rec) -> {
                if (fence != null) {
                    leadership.check(tx, fence);
                }
                boolean changed = switch (v) {
                    case Verdict.Advance a -> rollouts.advance(tx, r.id(), r.stepIndex(), r.stepIndex() + 1,
                            a.toPercent(), a.reason(), rec.revision(), rec.createdAt());
                    case Verdict.Promote p -> rollouts.finish(tx, r.id(), r.stepIndex(), RolloutRepository.PROMOTED,
                            100, p.reason(), rec.revision(), rec.createdAt(), fence == null);
                    default -> rollouts.finish(tx, r.id(), r.stepIndex(), rollbackState, 0,
                            v.reason(), rec.revision(), rec.createdAt(), fence == null);
                };
                if (!changed) {
                    throw new StaleRollout();
                }
            });
        } catch (StaleRollout e) {
            return Optional.empty();
        } catch (NotLeaderException e) {
            LOG.info("rollout " + r.id() + " of " + r.model() + ": not acting on '" + change + "': " + e.getMessage());
            return Optional.empty();
        }
        LOG.info("rollout " + r.id() + " of " + r.model() + ": revision " + written.revision() + ": " + change);
        if (!(v instanceof Verdict.Advance)) {
            ended.accept(v instanceof Verdict.Promote ? "promoted" : "rolled_back"); // an abort is a rollback by hand
        }
        if (fence != null) {
            changes.publishInBackground(written);
        }
        return Optional.of(written);
    }

    private static String automaticChange(RolloutStatus r, Verdict v) {
        return switch (v) {
            case Verdict.RollBack b -> "automatic rollback of canary " + r.canaryVersion() + ": " + b.reason();
            case Verdict.Advance a -> "canary " + r.canaryVersion() + " to " + a.toPercent() + "%: " + a.reason();
            case Verdict.Promote p -> "promote canary " + r.canaryVersion() + " to 100%: " + p.reason();
            default -> v.reason();
        };
    }

    private void safely(String model, Instant now) {
        try {
            evaluate(model, now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "evaluating the rollout of " + model + " failed", e);
        }
    }

    private <T> T locked(String model, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(model, m -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** The rollout changed since it was read: the transaction is rolled back and nothing is published. */
    private static final class StaleRollout extends RuntimeException {
        StaleRollout() {
            super("rollout changed meanwhile", null, false, false);
        }
    }
}
