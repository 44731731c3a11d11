package io.modelmesh.controlplane.rollout;

import io.helidon.dbclient.DbExecute;
import io.modelmesh.api.AnalysisPolicy;
import io.modelmesh.api.DeploymentStatus;
import io.modelmesh.api.LatencyHistogram;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RolloutState;
import io.modelmesh.api.RolloutStatus;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.VersionOutcome;
import io.modelmesh.controlplane.MutableClock;
import io.modelmesh.controlplane.cluster.Leadership;
import io.modelmesh.controlplane.cluster.MemoryLeases;
import io.modelmesh.controlplane.deploy.PlannedChange;
import io.modelmesh.controlplane.store.DeploymentRecord;
import io.modelmesh.controlplane.store.RolloutRepository;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;


/**
 * Two control planes' rollout controllers over shared in-memory repositories, leases and outcomes, with a clock turned
 * by hand (no PostgreSQL): what the controller tests share.
 */
abstract class ControllerFixture {
    static final Duration TTL = Duration.ofSeconds(3);
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String MODEL = "iris";

    final MutableClock clock = new MutableClock(T0);
    final MemoryLeases leases = new MemoryLeases();
    final MemoryRollouts rollouts = new MemoryRollouts();
    final MemoryRoutes routes = new MemoryRoutes(clock);
    final OutcomeWindows outcomes = new OutcomeWindows(clock);
    final Leadership leaseA = new Leadership(leases, "controller", "cp-a", TTL, clock);
    final Leadership leaseB = new Leadership(leases, "controller", "cp-b", TTL, clock);
    final RolloutController a = controller(leaseA);
    final RolloutController b = controller(leaseB);

    RolloutController controller(Leadership leadership) {
        return new RolloutController(rollouts, routes, outcomes, List::of, (model, version, since) -> null,
                leadership, clock);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /** {@code seconds} of healthy canary traffic, one report a second, the clock moving along. */
    void serveHealthy(Duration span) {
        for (long s = 0; s < span.toSeconds(); s++) {
            clock.advance(Duration.ofSeconds(1));
            outcomes.accept(report(10, 0));
            if (leaseA.leading()) {
                leaseA.step();
            }
            if (leaseB.leading()) {
                leaseB.step();
            }
        }
    }

    OutcomeReport report(long requests, long errors) {
        long[] counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.bucketOf(1.0)] = requests;
        VersionOutcome canary = new VersionOutcome(MODEL, "1.1.0", RouteTarget.Role.CANARY, requests, errors,
                new LatencyHistogram(counts, requests));
        Instant now = clock.instant();
        return new OutcomeReport("node-a", routes.latest(MODEL).orElseThrow().revision(), now.minusSeconds(1), now,
                List.of(canary), List.of());
    }

    static int canaryWeight(DeploymentRecord r) {
        return r.route().targets().stream().filter(t -> t.role() == RouteTarget.Role.CANARY)
                .mapToInt(RouteTarget::weight).sum();
    }

    /** The deployments in memory: one revision per write, the hook in the same "transaction". */
    static final class MemoryRoutes implements RouteChanges {
        final List<DeploymentRecord> written = new ArrayList<>();
        final MutableClock clock;

        MemoryRoutes(MutableClock clock) {
            this.clock = clock;
        }

        DeploymentRecord start(int percent) {
            ModelRoute route = new ModelRoute(MODEL, List.of(
                    new RouteTarget("1.0.0", "onnx", "a".repeat(64), 1, 100 - percent, RouteTarget.Role.STABLE, null,
                            null),
                    new RouteTarget("1.1.0", "onnx", "b".repeat(64), 1, percent, RouteTarget.Role.CANARY, null,
                            null)), null);
            DeploymentRecord r = new DeploymentRecord(1, MODEL, route, "canary 1.1.0", clock.instant(), "alice");
            written.add(r);
            return r;
        }

        @Override
        public synchronized Optional<DeploymentRecord> latest(String model) {
            return written.isEmpty() ? Optional.empty() : Optional.of(written.getLast());
        }

        @Override
        public synchronized DeploymentRecord write(PlannedChange change, String createdBy,
                                                   BiConsumer<DbExecute, DeploymentRecord> first) {
            DeploymentRecord r = new DeploymentRecord(written.size() + 1, change.model(), change.route(),
                    change.change(), clock.instant(), createdBy, change.spec(), change.source());
            first.accept(null, r); // throws: nothing written
            written.add(r);
            return r;
        }

        @Override
        public DeploymentStatus publish(DeploymentRecord record) {
            return new DeploymentStatus(record.revision(), record.model(), record.route(), record.createdAt(),
                    record.createdBy(), record.change(), 0, 0, List.of(), record.spec());
        }

        @Override
        public void publishInBackground(DeploymentRecord record) {
        }
    }

    /** The rollouts in memory, with the repository's conditional state changes. */
    static final class MemoryRollouts implements Rollouts {
        final Map<Long, RolloutStatus> rows = new ConcurrentHashMap<>();

        void start(DeploymentRecord r, List<Integer> steps, int interval) {
            rows.put(1L, new RolloutStatus(1, MODEL, "1.0.0", "1.1.0", RolloutRepository.RUNNING, steps.getFirst(),
                    steps, 0, interval, new AnalysisPolicy(0.05, null, 20, 10), "started", r.revision(), "alice",
                    r.createdAt(), r.createdAt(), null));
        }

        RolloutStatus only() {
            return rows.get(1L);
        }

        @Override
        public Optional<RolloutStatus> running(String model) {
            return rows.values().stream().filter(r -> r.model().equals(model)
                    && RolloutRepository.RUNNING.equals(r.state())).findFirst();
        }

        @Override
        public List<RolloutStatus> allRunning() {
            return rows.values().stream().filter(r -> RolloutRepository.RUNNING.equals(r.state())).toList();
        }

        @Override
        public Optional<RolloutStatus> find(long id) {
            return Optional.ofNullable(rows.get(id));
        }

        @Override
        public synchronized boolean advance(DbExecute tx, long id, int fromStep, int toStep, int percent,
                                            String reason, long revision, Instant at) {
            RolloutStatus r = rows.get(id);
            if (r == null || !RolloutRepository.RUNNING.equals(r.state()) || r.stepIndex() != fromStep
                    || r.paused()) {
                return false;
            }
            rows.put(id, new RolloutStatus(id, r.model(), r.stableVersion(), r.canaryVersion(), r.state(), percent,
                    r.steps(), toStep, r.stepIntervalSeconds(), r.analysis(), reason, revision, r.createdBy(),
                    r.startedAt(), at, null));
            return true;
        }

        @Override
        public synchronized boolean finish(DbExecute tx, long id, int atStep, RolloutState state, int percent,
                                           String reason, long revision, Instant at, boolean evenIfPaused) {
            RolloutStatus r = rows.get(id);
            if (r == null || !RolloutRepository.RUNNING.equals(r.state()) || r.stepIndex() != atStep
                    || (r.paused() && !evenIfPaused)) {
                return false;
            }
            rows.put(id, new RolloutStatus(id, r.model(), r.stableVersion(), r.canaryVersion(), state, percent,
                    r.steps(), atStep, r.stepIntervalSeconds(), r.analysis(), reason, revision, r.createdBy(),
                    r.startedAt(), r.stepStartedAt(), at));
            return true;
        }

        @Override
        public synchronized boolean pause(long id, String by, String reason, Instant at) {
            RolloutStatus r = rows.get(id);
            if (r == null || !RolloutRepository.RUNNING.equals(r.state()) || r.paused()) {
                return false;
            }
            rows.put(id, new RolloutStatus(id, r.model(), r.stableVersion(), r.canaryVersion(), r.state(),
                    r.percent(), r.steps(), r.stepIndex(), r.stepIntervalSeconds(), r.analysis(), reason,
                    r.revision(), r.createdBy(), r.startedAt(), r.stepStartedAt(), null, at, by));
            return true;
        }

        @Override
        public synchronized boolean resume(long id, String reason, Instant at) {
            RolloutStatus r = rows.get(id);
            if (r == null || !RolloutRepository.RUNNING.equals(r.state()) || !r.paused()) {
                return false;
            }
            rows.put(id, new RolloutStatus(id, r.model(), r.stableVersion(), r.canaryVersion(), r.state(),
                    r.percent(), r.steps(), r.stepIndex(), r.stepIntervalSeconds(), r.analysis(), reason,
                    r.revision(), r.createdBy(), r.startedAt(), at, null));
            return true;
        }

        @Override
        public synchronized void note(long id, String reason, Instant at) {
            RolloutStatus r = rows.get(id);
            if (r.paused()) {
                return;
            }
            rows.put(id, new RolloutStatus(id, r.model(), r.stableVersion(), r.canaryVersion(), r.state(),
                    r.percent(), r.steps(), r.stepIndex(), r.stepIntervalSeconds(), r.analysis(), reason,
                    r.revision(), r.createdBy(), r.startedAt(), r.stepStartedAt(), r.finishedAt()));
        }
    }
}
