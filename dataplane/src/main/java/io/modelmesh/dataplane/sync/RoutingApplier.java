package io.modelmesh.dataplane.sync;

import io.modelmesh.api.Framework;
import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.dataplane.batching.BatchPolicy;
import io.modelmesh.dataplane.batching.Batcher;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.engine.Engines;
import io.modelmesh.engine.LoadedModel;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Moves the node from one routing revision to the next. A revision is served only after every artifact it names is on
 * disk (sha256 verified), loaded and warmed; until then, and if anything fails, the node keeps serving the revision it
 * had. Revisions only grow. Applies are serialised; readers see the current table through one volatile read.
 */
public final class RoutingApplier implements AutoCloseable {
    private static final Logger LOG = System.getLogger(RoutingApplier.class.getName());

    private final String nodeId;
    private final LocalStore store;
    private final ControlPlaneApi controlPlane;
    private final Engines engines;
    private final int batchWorkers;
    private final Map<String, ModelHandle> loaded = new HashMap<>(); // guarded by this
    /** Running batchers by model, version and loaded artifact; guarded by this. */
    private Map<String, Batcher> batchers = new HashMap<>();
    private volatile ServingTable current = ServingTable.empty();
    private volatile boolean synced;
    private volatile Consumer<ServingTable> beforeSwitch;

    public RoutingApplier(String nodeId, LocalStore store, ControlPlaneApi controlPlane, Engines engines,
                          int batchWorkers) {
        this.batchWorkers = batchWorkers;
        this.nodeId = nodeId;
        this.store = store;
        this.controlPlane = controlPlane;
        this.engines = engines;
    }

    /**
     * Calls {@code listener} with the table being left, on the applying thread, just before each switch to a new
     * revision (not when restoring from disk). It must not block: it runs inside the switch.
     */
    public void beforeSwitch(Consumer<ServingTable> listener) {
        this.beforeSwitch = listener;
    }

    /** The table requests are routed with. */
    public ServingTable current() {
        return current;
    }

    /** True once the node serves a table from disk or the control plane (or learned there is none yet). */
    public boolean synced() {
        return synced;
    }

    public void markSynced() {
        synced = true;
    }

    /** Serves the table saved by the last run, if any: static stability when the control plane is down. */
    public void restore() {
        try {
            store.loadTable().ifPresent(t -> {
                RoutingAck ack = apply(t, true);
                if (ack.applied()) {
                    LOG.log(Level.INFO, "node {0} restored routing revision {1} from disk", nodeId, t.revision());
                } else {
                    LOG.log(Level.WARNING, "node {0} could not restore revision {1}: {2}", nodeId, t.revision(),
                            ack.error());
                }
            });
        } catch (IOException e) {
            LOG.log(Level.WARNING, "node {0} ignores unreadable saved routing table: {1}", nodeId, e.getMessage());
        }
    }

    /** Applies a pushed or fetched table. */
    public RoutingAck apply(RoutingTable table) {
        return apply(table, false);
    }

    private synchronized RoutingAck apply(RoutingTable table, boolean restoring) {
        ServingTable before = current;
        if (table.revision() <= before.revision() && (before.revision() > 0 || table.revision() == 0)) {
            synced = true;
            return new RoutingAck(nodeId, before.revision(), true, null);
        }
        long started = System.nanoTime();
        List<ModelHandle> fresh = new ArrayList<>();
        Map<String, Batcher> nextBatchers = new HashMap<>();
        try {
            Map<String, ServedModel> models = new LinkedHashMap<>();
            for (ModelRoute route : table.models().values()) {
                Map<String, ServedVersion> versions = new LinkedHashMap<>();
                for (RouteTarget target : route.targets()) {
                    ModelHandle handle = handleFor(target, fresh);
                    Batcher batcher = batcherFor(route, target, handle, nextBatchers);
                    versions.put(target.version(), new ServedVersion(route.model(), target, handle, route.policy(),
                            batcher));
                }
                models.put(route.model(), ServedModel.of(route, versions));
            }
            ServingTable next = new ServingTable(table, models);
            if (!restoring) {
                store.saveTable(table);
            }
            ServingTable leaving = current;
            Consumer<ServingTable> listener = beforeSwitch;
            if (listener != null && leaving.revision() > 0) {
                listener.accept(leaving); // e.g. close the outcome window of the revision being left
            }
            current = next;
            synced = true;
            switchBatchers(nextBatchers);
            retireUnused(next);
            LOG.log(Level.INFO, "node {0} serves routing revision {1} ({2} models, switched in {3} ms)", nodeId,
                    table.revision(), models.size(), (System.nanoTime() - started) / 1_000_000);
            return new RoutingAck(nodeId, table.revision(), true, null);
        } catch (Exception e) {
            nextBatchers.forEach((key, b) -> {
                if (batchers.get(key) != b) {
                    b.shutdown(); // started for this revision, never served
                }
            });
            for (ModelHandle h : fresh) {
                loaded.remove(h.key());
                h.retire();
            }
            String why = "revision " + table.revision() + " not applied: " + e.getMessage();
            LOG.log(Level.WARNING, "node {0}: {1}", nodeId, why);
            return new RoutingAck(nodeId, before.revision(), false, why);
        }
    }

    private ModelHandle handleFor(RouteTarget target, List<ModelHandle> fresh) throws Exception {
        String key = target.sha256() + "|" + target.framework() + "|" + target.schema().features();
        ModelHandle h = loaded.get(key);
        if (h != null) {
            return h;
        }
        Path artifact = store.artifact(target.sha256());
        if (!store.hasVerified(target.sha256())) {
            controlPlane.download(target.sha256(), store);
        }
        LoadedModel model = engines.forFramework(Framework.parse(target.framework()))
                .load(artifact, target.schema().features());
        h = new ModelHandle(key, model);
        fresh.add(h);
        loaded.put(key, h);
        try {
            model.warmUp();
        } catch (RuntimeException e) {
            throw new IllegalStateException("warm-up of " + target.version() + " failed: " + e.getMessage(), e);
        }
        return h;
    }

    /**
     * The version's batcher when its route batches: the running one (re-configured once the revision is in force: it
     * may change the policy) or a new one. Keyed by model, version and artifact, so a reloaded artifact gets a fresh
     * batcher.
     */
    private Batcher batcherFor(ModelRoute route, RouteTarget target, ModelHandle handle, Map<String, Batcher> next) {
        if (!route.policy().batching()) {
            return null;
        }
        String key = route.model() + "@" + target.version() + "|" + handle.key();
        BatchPolicy policy = BatchPolicy.of(route.policy());
        Batcher b = batchers.get(key);
        if (b == null) {
            LoadedModel model = handle.model();
            b = Batcher.start(route.model(), target.version(), model::predict, policy, batchWorkers,
                    System::nanoTime);
        }
        next.put(key, b);
        return b;
    }

    /**
     * Switches to the next revision's batchers once that revision is in force (a refused revision changes no batcher):
     * kept ones take its policy; the others stop taking work and finish what is queued, while the requests waiting on
     * them hold their models open until they are answered.
     */
    private void switchBatchers(Map<String, Batcher> next) {
        batchers.forEach((key, b) -> {
            if (next.get(key) != b) {
                b.shutdown();
            }
        });
        for (ServedModel m : current.models().values()) {
            for (ServedVersion v : m.versions().values()) {
                if (v.batcher() != null) {
                    v.batcher().configure(BatchPolicy.of(v.policy())); // a kept batcher takes the new revision's policy
                }
            }
        }
        batchers = next;
    }

    private void retireUnused(ServingTable next) throws IOException {
        Set<String> used = new HashSet<>();
        Set<String> shas = new HashSet<>();
        for (ServedModel m : next.models().values()) {
            for (ServedVersion v : m.versions().values()) {
                used.add(v.handle().key());
                shas.add(v.target().sha256());
            }
        }
        loaded.entrySet().removeIf(e -> {
            if (!used.contains(e.getKey())) {
                e.getValue().retire();
                return true;
            }
            return false;
        });
        store.retainOnly(shas);
    }

    @Override
    public synchronized void close() {
        current = ServingTable.empty();
        batchers.values().forEach(Batcher::shutdown);
        batchers = new HashMap<>();
        loaded.values().forEach(ModelHandle::retire);
        loaded.clear();
    }
}
