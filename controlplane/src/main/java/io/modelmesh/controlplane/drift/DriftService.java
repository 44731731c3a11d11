package io.modelmesh.controlplane.drift;

import io.modelmesh.api.DriftPolicy;
import io.modelmesh.api.DriftReport;
import io.modelmesh.api.FeatureDrift;
import io.modelmesh.api.FeatureRows;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.OutcomeReport;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.VersionDrift;
import io.modelmesh.controlplane.nodes.OutcomeSink;
import io.modelmesh.controlplane.nodes.RoutingSource;
import io.modelmesh.controlplane.rollout.CanaryDrift;
import io.modelmesh.controlplane.store.Database;
import io.modelmesh.controlplane.store.DriftRepository;
import io.modelmesh.controlplane.store.VersionRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drift detection over every node's sampled rows. As an {@link OutcomeSink} it adds each report's rows to their
 * version's {@link VersionWindow} — first to a served reference when the version has no file reference, then to the
 * current window — stores them in PostgreSQL in one transaction per version and report, and evaluates the window when
 * it is due. Versions are worked on one at a time each; their state is cached in memory and loaded from PostgreSQL
 * on first use (so a restart loses neither references nor windows); a version untouched for 15 minutes leaves the
 * cache. Also answers {@code GET /monitoring/drift/{model}} and the canary gate's question.
 */
public final class DriftService implements OutcomeSink, CanaryDrift.Source {
    private static final Logger LOG = Logger.getLogger(DriftService.class.getName());
    static final String FILE = "file";
    static final String SERVED = "served";
    /** A version's state leaves the cache after this long without rows or reads. */
    static final Duration IDLE = Duration.ofMinutes(15);

    private final Database db;
    private final DriftRepository repository;
    private final VersionRepository versions;
    private final RoutingSource routing;
    private final Function<String, DriftPolicy> policies;
    private final Clock clock;
    private final Map<Key, Slot> slots = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.EPOCH;

    private record Key(String model, String version) {
    }

    /** A version's cached state and the lock that serialises work on it. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        VersionWindow state;
        boolean loaded;
        boolean evicted;
        Instant touched = Instant.EPOCH;
    }

    /**
     * @param policies the model's drift settings (from its latest deployment spec; defaults without one)
     */
    public DriftService(Database db, DriftRepository repository, VersionRepository versions, RoutingSource routing,
                        Function<String, DriftPolicy> policies, Clock clock) {
        this.db = db;
        this.repository = repository;
        this.versions = versions;
        this.routing = routing;
        this.policies = policies;
        this.clock = clock;
    }

    @Override
    public void accept(OutcomeReport report) {
        Map<Key, List<FeatureRows>> byVersion = new LinkedHashMap<>();
        for (FeatureRows f : report.features()) {
            if (f.model() != null && f.version() != null && (!f.rows().isEmpty() || f.dropped() > 0)) {
                byVersion.computeIfAbsent(new Key(f.model(), f.version()), k -> new ArrayList<>()).add(f);
            }
        }
        Map<String, Integer> windows = new LinkedHashMap<>();
        for (Map.Entry<Key, List<FeatureRows>> e : byVersion.entrySet()) {
            int window = windows.computeIfAbsent(e.getKey().model(), m -> policies.apply(m).window());
            try {
                add(e.getKey(), e.getValue(), window);
            } catch (RuntimeException ex) { // one version's failure must not lose the others' rows
                LOG.log(Level.WARNING, "drift rows of " + e.getKey().model() + "@" + e.getKey().version()
                        + " from node " + report.nodeId() + " were not stored", ex);
            }
        }
        sweep();
    }

    /** One report's rows of one version: those of the version's width, and the counts. */
    private record Incoming(List<float[]> rows, long served, long received, long dropped, long rejected) {
        static Incoming of(List<FeatureRows> entries, int width) {
            List<float[]> rows = new ArrayList<>();
            long served = 0;
            long received = 0;
            long dropped = 0;
            for (FeatureRows f : entries) {
                served += f.seen() + f.dropped();
                dropped += f.dropped();
                received += f.rows().size();
                f.rows().stream().filter(row -> row.length == width).forEach(rows::add);
            }
            return new Incoming(rows, served, received, dropped, received - rows.size());
        }
    }

    /** What one report changed in a version's state, to be stored in one transaction. */
    private record Change(Key key, VersionWindow state, boolean created, boolean retarget, VersionWindow.Split split,
                          Incoming in, VersionWindow.Evaluation evaluation, Instant at) {
    }

    /** Adds one report's rows of one version, stores them and evaluates the window when due. */
    private void add(Key key, List<FeatureRows> entries, int window) {
        withState(key, slot -> {
            boolean created = slot.state == null;
            VersionWindow s = slot.state;
            if (s == null) {
                List<String> columns = columnsOf(key);
                if (columns.isEmpty()) {
                    return null; // nothing drift can follow (no columns, or too wide); nodes rarely send these
                }
                s = new VersionWindow(columns, SERVED, List.of(), window, false, window);
            }
            Incoming in = Incoming.of(entries, s.columns.size());
            boolean retarget = !s.referenceComplete && s.referenceTarget != window;
            s.resize(window);
            VersionWindow.Split split = s.add(in.rows());
            Instant now = clock.instant();
            Change change = new Change(key, s, created, retarget, split, in, s.due() ? s.evaluate(now) : null, now);
            try {
                db.inTransaction(tx -> store(tx, change));
            } catch (RuntimeException e) {
                slot.state = null; // memory may be ahead of the database: read it again next time
                slot.loaded = false;
                throw e;
            }
            s.served += in.served();
            s.received += in.received();
            s.dropped += in.dropped();
            s.rejected += in.rejected();
            slot.state = s;
            if (change.evaluation() != null && change.evaluation().drifted()) {
                LOG.info("drift in " + key.model() + "@" + key.version() + ": "
                        + drifting(change.evaluation().features()));
            }
            return null;
        });
    }

    private Void store(io.helidon.dbclient.DbExecute tx, Change c) {
        String model = c.key().model();
        String version = c.key().version();
        VersionWindow s = c.state();
        int width = s.columns.size();
        if (c.created()) {
            repository.insertIfAbsent(tx, model, version, s.columns, SERVED, new byte[0], 0, s.referenceTarget, false,
                    null, c.at());
        }
        List<float[]> toReference = c.split().toReference();
        if (!toReference.isEmpty() || c.retarget()) {
            repository.appendReference(tx, model, version, RowCodec.encode(toReference, width), toReference.size(),
                    s.referenceTarget, s.referenceComplete, c.at());
        }
        List<float[]> toWindow = c.split().toWindow();
        if (!toWindow.isEmpty()) {
            long seq = repository.appendChunk(tx, model, version, RowCodec.encode(toWindow, width), toWindow.size(),
                    c.at());
            long obsolete = s.stored(seq, toWindow.size());
            if (obsolete >= 0) {
                repository.deleteChunksUpTo(tx, model, version, obsolete);
            }
        }
        repository.count(tx, model, version, c.in().served(), c.in().received(), c.in().dropped(), c.in().rejected(),
                c.at());
        VersionWindow.Evaluation e = c.evaluation();
        if (e != null) {
            repository.saveEvaluation(tx, model, version, e.at(), e.drifted(), e.currentRows(), e.features());
        }
        return null;
    }

    /** {@code GET /monitoring/drift/{model}}: the routed versions first, then others with drift state. */
    public DriftReport report(String model) {
        int window = policies.apply(model).window();
        ModelRoute route = routing.current().models().get(model);
        Map<String, RouteTarget> routed = new LinkedHashMap<>();
        if (route != null) {
            route.targets().forEach(t -> routed.put(t.version(), t));
        }
        Set<String> names = new LinkedHashSet<>(routed.keySet());
        names.addAll(repository.versions(model));
        List<VersionDrift> out = new ArrayList<>();
        for (String version : names) {
            RouteTarget t = routed.get(version);
            out.add(versionDrift(new Key(model, version), t == null ? null : t.role(), window));
        }
        return new DriftReport(model, window, out.stream().anyMatch(VersionDrift::drifted), out);
    }

    /**
     * For metrics: the last evaluation of every version whose state is in memory (a version is loaded by its first
     * rows or read and stays for 15 minutes without either), per {@code [model, version, feature]}: the PSI, or with
     * {@code ksPValue} the KS test's p-value. Never reads the database; a version busy being evaluated is skipped
     * for this scrape rather than waited for.
     */
    public Map<List<String>, Double> snapshot(boolean ksPValue) {
        Map<List<String>, Double> out = new HashMap<>();
        slots.forEach((key, slot) -> {
            if (!slot.lock.tryLock()) {
                return;
            }
            try {
                VersionWindow.Evaluation e = slot.state == null || slot.evicted ? null : slot.state.last;
                if (e != null) {
                    for (FeatureDrift f : e.features()) {
                        out.put(List.of(key.model(), key.version(), f.feature()), ksPValue ? f.ksPValue() : f.psi());
                    }
                }
            } finally {
                slot.lock.unlock();
            }
        });
        return out;
    }

    @Override
    public CanaryDrift latest(String model, String version, Instant since) {
        return withState(new Key(model, version), slot -> {
            VersionWindow s = slot.state;
            VersionWindow.Evaluation e = s == null ? null : s.last;
            if (e == null || e.at().isBefore(since) || e.features().isEmpty()) {
                return null;
            }
            FeatureDrift worst = e.features().stream().max(Comparator.comparingDouble(FeatureDrift::psi))
                    .orElseThrow();
            return new CanaryDrift(worst.feature(), worst.psi(), e.currentRows(), e.at());
        });
    }

    private VersionDrift versionDrift(Key key, RouteTarget.Role role, int window) {
        return withState(key, slot -> {
            VersionWindow s = slot.state;
            double psi = DriftStatistics.PSI_THRESHOLD;
            if (s == null) {
                List<String> columns = columnsOf(key);
                return new VersionDrift(key.version(), role, columns.isEmpty() ? "no_features" : "collecting_reference",
                        null, 0, window, 0, 0, 0, 0, null, psi, DriftStatistics.ksPThreshold(columns.size()), false,
                        List.of());
            }
            VersionWindow.Evaluation e = s.last;
            String state = !s.referenceComplete ? "collecting_reference" : e == null ? "filling_window" : "evaluated";
            return new VersionDrift(key.version(), role, state, s.source, s.reference.size(), s.window(),
                    s.currentRows(), s.served, s.received, s.dropped, e == null ? null : e.at(), psi,
                    DriftStatistics.ksPThreshold(s.columns.size()), e != null && e.drifted(),
                    e == null ? List.of() : e.features());
        });
    }

    /** Runs {@code work} on the version's state (loaded first when not cached), holding its lock. */
    private <T> T withState(Key key, Function<Slot, T> work) {
        while (true) {
            Slot slot = slots.computeIfAbsent(key, k -> new Slot());
            slot.lock.lock();
            try {
                if (slot.evicted) {
                    continue; // swept meanwhile: take the fresh slot
                }
                if (!slot.loaded) {
                    slot.state = load(key);
                    slot.loaded = true;
                }
                slot.touched = clock.instant();
                return work.apply(slot);
            } finally {
                slot.lock.unlock();
            }
        }
    }

    /** The version's stored state, or null when it has none. */
    private VersionWindow load(Key key) {
        Optional<DriftRepository.Stored> found = repository.find(key.model(), key.version());
        if (found.isEmpty()) {
            return null;
        }
        DriftRepository.Stored st = found.get();
        int width = st.columns().size();
        int window = policies.apply(key.model()).window();
        VersionWindow s = new VersionWindow(st.columns(), st.source(), RowCodec.decode(st.reference(), width),
                st.targetRows(), st.complete(), window);
        for (DriftRepository.StoredChunk c : repository.chunks(key.model(), key.version())) {
            s.restore(RowCodec.decode(c.data(), width));
            s.stored(c.seq(), c.rows());
        }
        s.served = st.rowsServed();
        s.received = st.rowsReceived();
        s.dropped = st.rowsDropped();
        s.rejected = st.rowsRejected();
        if (st.evaluatedAt() != null) {
            s.last = new VersionWindow.Evaluation(st.evaluatedAt(), Boolean.TRUE.equals(st.drifted()),
                    st.currentRows() == null ? 0 : st.currentRows(), st.results());
            s.evaluated(); // the rows loaded were those of that evaluation or later: count from it
        }
        return s;
    }

    private List<String> columnsOf(Key key) {
        return versions.find(key.model(), key.version()).map(ModelVersion::schema).map(DriftColumns::of)
                .orElse(List.of());
    }

    /** Drops versions untouched for {@link #IDLE} from the cache (at most once a minute). */
    private void sweep() {
        Instant now = clock.instant();
        if (now.isBefore(lastSweep.plus(Duration.ofMinutes(1)))) {
            return;
        }
        lastSweep = now;
        for (Map.Entry<Key, Slot> e : slots.entrySet()) {
            Slot slot = e.getValue();
            if (slot.touched.isBefore(now.minus(IDLE)) && slot.lock.tryLock()) {
                try {
                    slot.evicted = true;
                    slots.remove(e.getKey(), slot);
                } finally {
                    slot.lock.unlock();
                }
            }
        }
    }

    /** Versions whose state is in memory (tests check the bound). */
    int cached() {
        return slots.size();
    }

    private static String drifting(List<FeatureDrift> features) {
        return features.stream().filter(FeatureDrift::drifted).map(f -> String.format(java.util.Locale.ROOT,
                "%s (PSI %.3f, KS p %.2g)", f.feature(), f.psi(), f.ksPValue())).toList().toString();
    }
}
