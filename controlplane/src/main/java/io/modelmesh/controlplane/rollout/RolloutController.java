package io.modelmesh.controlplane.rollout;

import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.controlplane.deploy.DeploymentService;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.controlplane.deploy.RoutePlanner;
import io.modelmesh.server.errors.ConflictException;
import io.modelmesh.controlplane.nodes.OutcomeSink;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.RolloutRepository;

import java.time.Clock;
import java.time.Instant;
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
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Runs canaries: evaluates a model's RUNNING rollout as soon as a node reports canary traffic (so a breach rolls back
 * within about a second of the reports showing it) and every second on its ticker (step advancement, promotion), and
 * acts on the verdict: the new route is written as a revision together with the conditional update of the rollout row
 * in one transaction, then pushed to every live node. Evaluations of one model are serialised and the conditional
 * update refuses a second action on the same step, so a repeated tick or two reports at once act once.
 */
public final class RolloutController implements OutcomeSink, AutoCloseable {
    /** Who the controller's revisions are created by. */
    public static final String USER = "rollout-controller";
    private static final Logger LOG = Logger.getLogger(RolloutController.class.getName());

    private final RolloutRepository rollouts;
    private final DeploymentService deployments;
    private final OutcomeWindows windows;
    private final CanaryDrift.Source drifts;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, AtomicBoolean> pending = new ConcurrentHashMap<>();
    private final Map<Long, String> lastReason = new ConcurrentHashMap<>();
    private final ExecutorService evaluations = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean ticking;
    private volatile Thread ticker;
    private final Consumer<String> ended;

    /** @param drifts where the drift gate ({@code max_psi}) reads the canary's latest drift evaluation */
    public RolloutController(RolloutRepository rollouts, DeploymentService deployments, OutcomeWindows windows,
                             CanaryDrift.Source drifts, Clock clock) {
        this(rollouts, deployments, windows, drifts, clock, outcome -> { });
    }

    /** @param ended told {@code promoted} or {@code rolled_back} when a rollout ends (for metrics) */
    public RolloutController(RolloutRepository rollouts, DeploymentService deployments, OutcomeWindows windows,
                             CanaryDrift.Source drifts, Clock clock, Consumer<String> ended) {
        this.ended = ended;
        this.rollouts = rollouts;
        this.deployments = deployments;
        this.windows = windows;
        this.drifts = drifts;
        this.clock = clock;
    }

    /** Evaluates, off the reporting request, each model the report shows canary traffic of (one pending per model). */
    @Override
    public void accept(OutcomeReport report) {
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

    /** Evaluates every RUNNING rollout at {@code now} (the ticker calls this each second; tests call it by hand). */
    public void tick(Instant now) {
        for (RolloutStatus r : rollouts.allRunning()) {
            safely(r.model(), now);
        }
    }

    /**
     * Evaluates the model's RUNNING rollout and acts on the verdict.
     *
     * @return the pushed revision's status when the verdict changed the route
     */
    public Optional<DeploymentStatus> evaluate(String model, Instant now) {
        return locked(model, () -> {
            Optional<RolloutStatus> running = rollouts.running(model);
            if (running.isEmpty()) {
                return Optional.empty();
            }
            RolloutStatus r = running.get();
            AnalysisPolicy a = (r.analysis() == null ? AnalysisPolicy.defaults() : r.analysis()).withDefaults();
            CanaryWindow w = windows.window(model, r.canaryVersion(), a.windowSeconds(), now);
            CanaryDrift drift = a.maxPsi() == null ? null : drifts.latest(model, r.canaryVersion(), r.startedAt());
            Verdict v = CanaryAnalysis.evaluate(w, drift, r, now);
            lastReason.put(r.id(), v.reason());
            return act(r, v, USER, RolloutStarter.CONTROLLER, automaticChange(r, v));
        });
    }

    /** Promotes the RUNNING rollout by hand. @throws ConflictException when it is not running any more */
    public DeploymentStatus promote(long id, String user) {
        return byHand(id, new Verdict.Promote("promoted by " + user), user, "promote canary {v} to 100% by " + user);
    }

    /** Rolls the RUNNING rollout back by hand. @throws ConflictException when it is not running any more */
    public DeploymentStatus rollBack(long id, String user) {
        return byHand(id, new Verdict.RollBack("rolled back by " + user), user, "rollback of canary {v} by " + user);
    }

    /** The reason of the latest verdict on a running rollout (not stored while nothing changes). */
    public Optional<String> lastReason(long id) {
        return Optional.ofNullable(lastReason.get(id));
    }

    /** Starts the 1 s ticker (with the control plane's lifecycle). */
    public synchronized void startTicker() {
        if (ticker != null) {
            return;
        }
        ticking = true;
        ticker = Thread.ofVirtual().name("rollout-ticker").start(() -> {
            while (ticking) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    tick(clock.instant());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "rollout tick failed", e);
                }
            }
        });
    }

    /** Stops the ticker and waits briefly for evaluations under way. */
    @Override
    public void close() {
        ticking = false;
        Thread t = ticker;
        if (t != null) {
            t.interrupt();
        }
        evaluations.shutdown();
        try {
            evaluations.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DeploymentStatus byHand(long id, Verdict v, String user, String changeFormat) {
        RolloutStatus found = rollouts.find(id).orElseThrow(() -> RolloutService.noRollout(id));
        return locked(found.model(), () -> {
            RolloutStatus r = rollouts.find(id).orElseThrow();
            if (!RolloutRepository.RUNNING.equals(r.state())) {
                throw notRunning(r);
            }
            return act(r, v, user, "api", changeFormat.replace("{v}", r.canaryVersion()))
                    .orElseThrow(() -> notRunning(rollouts.find(id).orElseThrow()));
        });
    }

    static ConflictException notRunning(RolloutStatus r) {
        return new ConflictException("rollout " + r.id() + " of model '" + r.model() + "' is " + r.state()
                + (r.reason() == null ? "" : " (" + r.reason() + ")") + ", not running; start a new canary with "
                + "POST /deployments/canary (mmctl canary)");
    }

    private Optional<DeploymentStatus> act(RolloutStatus r, Verdict v, String user, String source, String change) {
        if (v instanceof Verdict.Continue || v instanceof Verdict.Inconclusive) {
            return Optional.empty();
        }
        DeploymentRecord latest = deployments.latest(r.model()).orElseThrow();
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
        try {
            DeploymentRecord written = deployments.write(planned, user, (tx, rec) -> {
                boolean changed = switch (v) {
                    case Verdict.Advance a -> rollouts.advance(tx, r.id(), r.stepIndex(), r.stepIndex() + 1,
                            a.toPercent(), a.reason(), rec.revision(), rec.createdAt());
                    case Verdict.Promote p -> rollouts.finish(tx, r.id(), r.stepIndex(), RolloutRepository.PROMOTED,
                            100, p.reason(), rec.revision(), rec.createdAt());
                    default -> rollouts.finish(tx, r.id(), r.stepIndex(), RolloutRepository.ROLLED_BACK, 0,
                            v.reason(), rec.revision(), rec.createdAt());
                };
                if (!changed) {
                    throw new StaleRollout();
                }
            });
            LOG.info("rollout " + r.id() + " of " + r.model() + ": revision " + written.revision() + ": " + change);
            if (!(v instanceof Verdict.Advance)) {
                ended.accept(v instanceof Verdict.Promote ? "promoted" : "rolled_back");
            }
            return Optional.of(deployments.publish(written));
        } catch (StaleRollout e) {
            return Optional.empty();
        }
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

    private <T> T locked(String model, java.util.function.Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(model, m -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** The rollout changed since it was read: the transaction is rolled back and nothing is pushed. */
    private static final class StaleRollout extends RuntimeException {
        StaleRollout() {
            super("rollout changed meanwhile", null, false, false);
        }
    }
}
