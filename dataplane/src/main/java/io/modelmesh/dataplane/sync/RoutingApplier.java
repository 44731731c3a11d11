package io.modelmesh.dataplane.sync;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.api.RoutingAck;
import io.modelmesh.api.RoutingTable;
import io.modelmesh.dataplane.admission.Admissions;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.dataplane.metrics.ServingEvents;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Moves the node from one routing revision to the next in two phases. <b>Prepare</b> touches nothing live: every
 * artifact the revision names that is not loaded yet is prepared by the {@link ModelPreparer} (each on its own thread,
 * within its time limit), the next table is built and saved. A model whose preparation fails or runs out of time keeps
 * the targets it had (a model new to the node is not served) and is reported in the acknowledgement, while every other
 * model moves to the revision: one bad model never holds up another's rollout. <b>Commit</b> cannot fail: one volatile
 * reference swap. Afterwards, stopping unused batchers, retiring unused models and deleting unused artifacts only log
 * their failures. Which tables the node moves to is {@link TableOrder}'s rule (revisions only grow within one identity
 * of the control plane; another identity's table is adopted); applies are serialised; readers see the current table
 * through one volatile read.
 *
 * <p>The table saved to disk is the one served, so a restarted node serves exactly what it served. A revision served
 * with models left behind is "incomplete": {@link #incomplete()} tells the control-plane link to fetch the table again,
 * and applying the same revision retries just those models.
 */
public final class RoutingApplier implements AutoCloseable {
    private static final Logger LOG = System.getLogger(RoutingApplier.class.getName());

    private final String nodeId;
    private final LocalStore store;
    private final ModelPreparer preparer;
    private final Batchers batchers;
    private final ServingEvents events;
    private final Admissions admissions;
    /** Loaded models by {@link ModelPreparer#key}; guarded by this. */
    private final Map<String, ModelHandle> loaded = new HashMap<>();
    private volatile ServingTable current = ServingTable.empty();
    /** The last table the control plane gave (null after a restore, until the control plane is reached). */
    private volatile RoutingTable desired;
    private volatile boolean synced;
    private volatile Consumer<ServingTable> beforeSwitch;

    /** @param admissions every served version's admission gate and fallback, kept while the version stays loaded */
    public RoutingApplier(String nodeId, LocalStore store, ModelPreparer preparer, int batchWorkers,
                          Admissions admissions) {
        this(nodeId, store, preparer, batchWorkers, admissions, ServingEvents.NONE);
    }

    /** @param events counts model loads (time and failures) and the rows of every batched engine call */
    public RoutingApplier(String nodeId, LocalStore store, ModelPreparer preparer, int batchWorkers,
                          Admissions admissions, ServingEvents events) {
        this.admissions = admissions;
        this.nodeId = nodeId;
        this.store = store;
        this.preparer = preparer;
        this.events = events;
        this.batchers = new Batchers(batchWorkers, events);
    }

    /**
     * Calls {@code listener} with the table being left, on the applying thread, just before each switch to a new
     * table (not when restoring from disk). It must not block: it runs inside the switch.
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

    /**
     * Whether the node should fetch the table again although its revision is current: some of its models were left
     * on older targets, or it has not compared what it restored from disk with the control plane yet.
     */
    public boolean incomplete() {
        RoutingTable d = desired;
        return d == null || !d.models().equals(current.table().models());
    }

    /** Serves the table saved by the last run, if any: static stability when the control plane is down. */
    public void restore() {
        try {
            store.loadTable().ifPresent(t -> {
                RoutingAck ack = apply(t, true);
                desired = null; // compared with the control plane's once it answers
                if (ack.applied()) {
                    LOG.log(Level.INFO, "node {0} restored routing revision {1} from disk", nodeId, t.revision());
                } else {
                    LOG.log(Level.WARNING, "node {0} restored revision {1} without {2}", nodeId, t.revision(),
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
        TableOrder.Decision decision = TableOrder.decide(before.table(), table);
        if (decision == TableOrder.Decision.SAME || decision == TableOrder.Decision.OLDER
                || decision == TableOrder.Decision.EMPTY_STRANGER) {
            desired = decision == TableOrder.Decision.SAME ? table : before.table();
            synced = true;
            if (decision == TableOrder.Decision.EMPTY_STRANGER) {
                LOG.log(Level.WARNING, "node {0} keeps serving revision {1} of cluster {2}: its control plane is "
                        + "cluster {3}, which has deployed nothing yet; the node adopts its first revision", nodeId,
                        before.revision(), before.table().clusterId(), table.clusterId());
            }
            return ack(before);
        }
        if (decision == TableOrder.Decision.ADOPT && before.revision() > 0) {
            LOG.log(Level.WARNING, "node {0} adopts revision {1} of cluster {2} epoch {3} in place of revision {4} of "
                            + "cluster {5} epoch {6} (the database of its control plane was replaced or restored)",
                    nodeId, table.revision(), table.clusterId(), table.epoch(), before.revision(), before.table().clusterId(),
                    before.table().epoch());
        }
        long started = System.nanoTime();
        Next next;
        try {
            next = prepare(table, before);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RoutingAck(nodeId, before.revision(), false, "interrupted while preparing revision "
                    + table.revision(), before.failed());
        }
        if (!restoring) {
            try {
                store.saveTable(next.serving().table());
            } catch (IOException | RuntimeException e) {
                next.discard();
                String why = "revision " + table.revision() + " not applied: cannot save it: " + e.getMessage();
                LOG.log(Level.WARNING, "node {0}: {1}", nodeId, why);
                return new RoutingAck(nodeId, before.revision(), false, why, before.failed());
            }
        }
        commit(next, before, restoring);
        desired = table;
        cleanUp(next.serving());
        logApplied(table, next.serving(), started);
        return ack(next.serving());
    }

    /** The next table, built without touching anything served; {@link #discard()} undoes what it started. */
    private record Next(ServingTable serving, Map<String, ModelHandle> fresh, Batchers.Next batchers) {
        void discard() {
            batchers.discard();
            fresh.values().forEach(RoutingApplier::retireQuietly);
        }
    }

    /**
     * Prepares every artifact the table names that is not loaded, all at once, then builds the next table: each model
     * on its new route when all its targets are ready, else on the route it had.
     */
    private Next prepare(RoutingTable table, ServingTable before) throws InterruptedException {
        Map<String, String> failedKeys = new HashMap<>();
        Map<String, ModelHandle> fresh = prepareArtifacts(table, failedKeys);
        Batchers.Next nextBatchers = batchers.next();
        Map<String, ModelRoute> routes = new TreeMap<>();
        Map<String, ServedModel> models = new LinkedHashMap<>();
        Map<String, String> failed = new TreeMap<>();
        for (ModelRoute route : table.models().values()) {
            String failure = failureOf(route, failedKeys);
            ServedModel model = null;
            if (failure == null) {
                try {
                    model = serve(route, fresh, nextBatchers);
                } catch (RuntimeException e) {
                    failure = "it cannot be served: " + e.getMessage();
                }
            }
            if (model == null) {
                failed.put(route.model(), failure);
                model = before.models().get(route.model()); // keep what it had, if anything
                if (model != null) {
                    nextBatchers.keep(model);
                }
            }
            if (model != null) {
                models.put(route.model(), model);
                routes.put(route.model(), model.route());
            }
        }
        retireUnused(fresh, usedKeys(models));
        RoutingTable served = new RoutingTable(table.revision(), table.createdAt(), routes, table.clusterId(),
                table.epoch());
        return new Next(new ServingTable(served, models, failed), fresh, nextBatchers);
    }

    /**
     * Starts a preparation for every artifact the table names that is not loaded, then waits for each within its own
     * time limit. Returns the models prepared; {@code failedKeys} gets the reason of every one that was not.
     */
    private Map<String, ModelHandle> prepareArtifacts(RoutingTable table, Map<String, String> failedKeys)
            throws InterruptedException {
        Map<String, ModelPreparer.Preparation> preparations = new LinkedHashMap<>();
        Map<String, String> modelOf = new HashMap<>();
        for (ModelRoute route : table.models().values()) {
            for (RouteTarget target : route.targets()) {
                String key = ModelPreparer.key(target);
                if (!loaded.containsKey(key) && !preparations.containsKey(key)) {
                    preparations.put(key, preparer.prepare(target));
                    modelOf.put(key, route.model());
                }
            }
        }
        Map<String, ModelHandle> fresh = new HashMap<>();
        for (Map.Entry<String, ModelPreparer.Preparation> p : preparations.entrySet()) {
            try {
                fresh.put(p.getKey(), p.getValue().await());
                events.loaded(modelOf.get(p.getKey()), p.getValue().nanos());
            } catch (ModelPreparer.PrepareException e) {
                failedKeys.put(p.getKey(), e.getMessage());
                events.loadFailed(modelOf.get(p.getKey()));
            }
        }
        return fresh;
    }

    /** Closes the prepared models no model of the next table uses (ready, but their model stays behind). */
    private static void retireUnused(Map<String, ModelHandle> fresh, Set<String> used) {
        fresh.entrySet().removeIf(e -> {
            if (!used.contains(e.getKey())) {
                retireQuietly(e.getValue());
                return true;
            }
            return false;
        });
    }

    /** Why one of the route's targets could not be prepared, or null. */
    private static String failureOf(ModelRoute route, Map<String, String> failedKeys) {
        for (RouteTarget t : route.targets()) {
            String why = failedKeys.get(ModelPreparer.key(t));
            if (why != null) {
                return "version " + t.version() + " (" + t.sha256().substring(0, 12) + "): " + why;
            }
        }
        return null;
    }

    private ServedModel serve(ModelRoute route, Map<String, ModelHandle> fresh, Batchers.Next nextBatchers) {
        Map<String, ServedVersion> versions = new LinkedHashMap<>();
        for (RouteTarget target : route.targets()) {
            String key = ModelPreparer.key(target);
            ModelHandle handle = loaded.containsKey(key) ? loaded.get(key) : fresh.get(key);
            versions.put(target.version(), new ServedVersion(route.model(), target, handle, route.policy(),
                    nextBatchers.forVersion(route, target, handle),
                    admissions.forVersion(route.model(), target.version(), handle, route.policy())));
        }
        return ServedModel.of(route, versions);
    }

    private static Set<String> usedKeys(Map<String, ServedModel> models) {
        Set<String> used = new HashSet<>();
        for (ServedModel m : models.values()) {
            for (ServedVersion v : m.versions().values()) {
                used.add(v.handle().key());
            }
        }
        return used;
    }

    /** The switch: a reference swap, with the listener told first (its failure is logged, never the switch's). */
    private void commit(Next next, ServingTable leaving, boolean restoring) {
        Consumer<ServingTable> listener = beforeSwitch;
        if (listener != null && !restoring && leaving.revision() > 0) {
            try {
                listener.accept(leaving); // e.g. close the outcome window of the table being left
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "node " + nodeId + ": the switch listener failed", e);
            }
        }
        loaded.putAll(next.fresh());
        current = next.serving();
        synced = true;
        batchers.switchTo(next.batchers(), next.serving());
        try {
            admissions.switchTo(next.serving()); // kept versions take the new limits in place
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + nodeId + ": applying new admission limits failed (the old ones stay)", e);
        }
    }

    /** After the switch: retires models and deletes artifacts nothing serves any more. Only logs failures. */
    private void cleanUp(ServingTable served) {
        Set<String> used = usedKeys(served.models());
        loaded.entrySet().removeIf(e -> {
            if (!used.contains(e.getKey())) {
                retireQuietly(e.getValue());
                return true;
            }
            return false;
        });
        Set<String> shas = new HashSet<>();
        for (ServedModel m : served.models().values()) {
            for (ServedVersion v : m.versions().values()) {
                shas.add(v.target().sha256());
            }
        }
        try {
            store.retainOnly(shas);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "node " + nodeId + " cannot delete unused artifacts (they are deleted after a "
                    + "later switch): " + e.getMessage());
        }
    }

    private static void retireQuietly(ModelHandle h) {
        try {
            h.retire();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the model " + h.key() + " failed", e);
        }
    }

    private void logApplied(RoutingTable table, ServingTable served, long started) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (served.failed().isEmpty()) {
            LOG.log(Level.INFO, "node {0} serves routing revision {1} ({2} models, switched in {3} ms)", nodeId,
                    table.revision(), served.models().size(), ms);
        } else {
            LOG.log(Level.WARNING, "node {0} serves routing revision {1} ({2} models, switched in {3} ms) except {4}",
                    nodeId, table.revision(), served.models().size(), ms, served.failed());
        }
    }

    /** The acknowledgement of what {@code served} is: applied in full, or with the models left behind and why. */
    private RoutingAck ack(ServingTable served) {
        if (served.failed().isEmpty()) {
            return new RoutingAck(nodeId, served.revision(), true, null);
        }
        StringBuilder why = new StringBuilder();
        served.failed().forEach((model, reason) -> why.append(why.isEmpty() ? "" : "; ").append(model).append(": ")
                .append(reason));
        return new RoutingAck(nodeId, served.revision(), false, "revision " + served.revision() + " is served "
                + "without the new targets of " + served.failed().size() + " model(s), which keep their previous ones: "
                + why, served.failed());
    }

    @Override
    public synchronized void close() {
        current = ServingTable.empty();
        batchers.close();
        loaded.values().forEach(RoutingApplier::retireQuietly);
        loaded.clear();
        preparer.close();
    }
}
