package io.modelmesh.dataplane.sync;

import io.modelmesh.api.ModelRoute;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.dataplane.batching.BatchPolicy;
import io.modelmesh.dataplane.batching.Batcher;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.dataplane.metrics.ServingEvents;
import io.modelmesh.dataplane.routing.ServedModel;
import io.modelmesh.dataplane.routing.ServedVersion;
import io.modelmesh.dataplane.routing.ServingTable;
import io.modelmesh.engine.LoadedModel;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * The running batchers of the served revision, by model, version and loaded artifact (a reloaded artifact gets a fresh
 * batcher), and the set being assembled for the next one. Used by {@link RoutingApplier} under its lock.
 */
final class Batchers {
    private static final Logger LOG = System.getLogger(Batchers.class.getName());

    private final int workers;
    private final ServingEvents events;
    private Map<String, Batcher> running = new HashMap<>();

    Batchers(int workers, ServingEvents events) {
        this.workers = workers;
        this.events = events;
    }

    /** The batchers a revision being prepared uses: the running ones it keeps, plus new ones it starts. */
    final class Next {
        private final Map<String, Batcher> byKey = new HashMap<>();

        /**
         * The version's batcher when its route batches: the running one (re-configured once the revision is in force)
         * or a new one; null when the route does not batch.
         */
        Batcher forVersion(ModelRoute route, RouteTarget target, ModelHandle handle) {
            if (!route.policy().batching()) {
                return null;
            }
            String key = route.model() + "@" + target.version() + "|" + handle.key();
            Batcher b = byKey.get(key);
            if (b == null) {
                b = running.get(key);
            }
            if (b == null) {
                LoadedModel model = handle.model();
                String name = route.model();
                String version = target.version();
                b = Batcher.start(name, version, rows -> {
                    events.batch(name, version, rows.rows());
                    return model.predict(rows);
                }, BatchPolicy.of(route.policy()), workers, System::nanoTime);
            }
            byKey.put(key, b);
            return b;
        }

        /** Keeps the batchers of a model served as it is (one whose new targets could not be prepared). */
        void keep(ServedModel model) {
            for (ServedVersion v : model.versions().values()) {
                if (v.batcher() != null) {
                    byKey.put(model.route().model() + "@" + v.version() + "|" + v.handle().key(), v.batcher());
                }
            }
        }

        /** The revision will not be served: stops the batchers started for it. */
        void discard() {
            byKey.forEach((key, b) -> {
                if (running.get(key) != b) {
                    b.shutdown();
                }
            });
        }
    }

    Next next() {
        return new Next();
    }

    /**
     * Once {@code served} is in force: kept batchers take its policies, the others stop taking work and finish what is
     * queued (the requests waiting on them hold their models open until answered). Never throws: a batcher that fails
     * to stop is logged.
     */
    void switchTo(Next next, ServingTable served) {
        Map<String, Batcher> previous = running;
        running = next.byKey;
        previous.forEach((key, b) -> {
            if (running.get(key) != b) {
                try {
                    b.shutdown();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "stopping the batcher of " + key + " failed", e);
                }
            }
        });
        for (ServedModel m : served.models().values()) {
            for (ServedVersion v : m.versions().values()) {
                if (v.batcher() != null) {
                    v.batcher().configure(BatchPolicy.of(v.policy()));
                }
            }
        }
    }

    void close() {
        running.values().forEach(Batcher::shutdown);
        running = new HashMap<>();
    }
}
