package io.modelmesh.dataplane.sync;

import io.modelmesh.api.ModelVersion;
import io.modelmesh.api.RouteTarget;
import io.modelmesh.dataplane.NotFoundException;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.dataplane.inference.ModelHandle;
import io.modelmesh.dataplane.inference.PreviewService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The versions a node loaded for preview calls only: at most {@code capacity} (MM_PREVIEW_MODELS, default 2; 0 turns
 * previews of unrouted versions off), least recently used first out. A version is described by the control plane over
 * the node's session ({@code GET /nodes/{id}/versions/{model}/{version}}, which also resolves aliases), then prepared
 * like any routed artifact (download, sha256, bounded validation, load, warm-up, within the preparation time limit)
 * by the {@link Loader}. One load per version at a time: concurrent calls for it wait for the same load. An evicted
 * model is closed after its last running call. Memory is bounded by {@code capacity} models, whatever callers ask.
 */
public final class PreviewModels implements PreviewService.Source, AutoCloseable {
    /** Preview models a node keeps by default. */
    public static final int DEFAULT_CAPACITY = 2;

    /** Describes a registered version (alias resolved). */
    public interface Versions {
        ModelVersion find(String model, String version) throws IOException, InterruptedException;
    }

    /** Makes a target's artifact servable. */
    public interface Loader {
        ModelHandle load(RouteTarget target) throws InterruptedException;
    }

    private record Entry(RouteTarget target, ModelHandle handle) {
    }

    private final Versions versions;
    private final Loader loader;
    private final int capacity;
    private final long waitNanos;
    /** Loaded preview models by model@version, in access order; guarded by {@code this}. */
    private final LinkedHashMap<String, Entry> loaded = new LinkedHashMap<>(8, 0.75f, true);
    private final Map<String, CompletableFuture<Entry>> loading = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * @param capacity  most preview models kept loaded (0: previews of unrouted versions are refused)
     * @param waitNanos longest a call waits for another call's load of the same version
     */
    public PreviewModels(Versions versions, Loader loader, int capacity, long waitNanos) {
        if (capacity < 0 || capacity > 64) {
            throw new IllegalArgumentException("MM_PREVIEW_MODELS must be 0..64, got " + capacity);
        }
        this.versions = versions;
        this.loader = loader;
        this.capacity = capacity;
        this.waitNanos = waitNanos;
    }

    /**
     * {@code MM_PREVIEW_MODELS}: preview models a node keeps (default {@value #DEFAULT_CAPACITY}, 0..64).
     *
     * @throws IllegalArgumentException naming the variable
     */
    public static int capacity(Map<String, String> env) {
        String v = env.get("MM_PREVIEW_MODELS");
        if (v == null || v.isBlank()) {
            return DEFAULT_CAPACITY;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("MM_PREVIEW_MODELS must be a whole number 0..64 (preview models a node "
                + "keeps loaded; 0 turns previews of unrouted versions off), got '" + v + "'");
    }

    /** The node's: versions from its control plane, loaded by its preparer. */
    public static PreviewModels of(ControlPlaneApi api, ModelPreparer preparer, int capacity,
                                   java.time.Duration prepareTimeout) {
        return new PreviewModels(api::version, target -> preparer.prepare(target).await(), capacity,
                prepareTimeout.toNanos());
    }

    @Override
    public PreviewService.Acquired acquire(String model, String version) {
        if (capacity == 0) {
            throw new UnavailableException("this node previews only versions it routes (MM_PREVIEW_MODELS=0); "
                    + "version " + version + " of model '" + model + "' is not routed here");
        }
        if (!version.startsWith("@")) {
            PreviewService.Acquired hit = cached(key(model, version));
            if (hit != null) {
                return hit;
            }
        }
        ModelVersion v = describe(model, version);
        String key = key(model, v.version());
        for (int attempt = 0; attempt < 3; attempt++) {
            PreviewService.Acquired hit = cached(key);
            if (hit != null) {
                return hit;
            }
            CompletableFuture<Entry> mine = new CompletableFuture<>();
            CompletableFuture<Entry> other = loading.putIfAbsent(key, mine);
            if (other == null) {
                load(key, target(v), mine);
            } else {
                await(other, v);
            }
        }
        throw new UnavailableException("version " + v.version() + " of model '" + model + "' was loaded for preview "
                + "but evicted by other previews before it could answer; retry");
    }

    private void load(String key, RouteTarget target, CompletableFuture<Entry> mine) {
        try {
            ModelHandle handle = loader.load(target);
            Entry e = new Entry(target, handle);
            insert(key, e);
            mine.complete(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            mine.completeExceptionally(e);
            throw new UnavailableException("interrupted while loading a preview model (the node is stopping)");
        } catch (ModelPreparer.PrepareException e) {
            mine.completeExceptionally(e);
            throw new UnavailableException("version " + target.version() + " cannot be previewed on this node: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    private void await(CompletableFuture<Entry> other, ModelVersion v) {
        try {
            other.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for a preview model (the node is stopping)");
        } catch (ExecutionException e) {
            throw new UnavailableException("version " + v.version() + " cannot be previewed on this node: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new UnavailableException("version " + v.version() + " is still loading for preview; retry");
        }
    }

    /** The loaded entry with a reference taken, or null. */
    private synchronized PreviewService.Acquired cached(String key) {
        Entry e = loaded.get(key);
        return e != null && e.handle().acquire() ? new PreviewService.Acquired(e.target(), e.handle()) : null;
    }

    /** Adds a loaded model, evicting the least recently used beyond the capacity (closed after their last call). */
    private void insert(String key, Entry e) {
        List<Entry> evicted = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                evicted.add(e);
            } else {
                Entry before = loaded.put(key, e);
                if (before != null) {
                    evicted.add(before);
                }
                Iterator<Entry> eldest = loaded.values().iterator();
                while (loaded.size() > capacity && eldest.hasNext()) {
                    evicted.add(eldest.next());
                    eldest.remove();
                }
            }
        }
        evicted.forEach(x -> x.handle().retire());
    }

    private ModelVersion describe(String model, String version) {
        try {
            return versions.find(model, version);
        } catch (ControlPlaneApi.RefusedException e) {
            throw new NotFoundException("model '" + model + "' has no registered version " + version
                    + " to preview (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UnavailableException("cannot ask the control plane about version " + version + " of model '"
                    + model + "' to preview it: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted (the node is stopping)");
        }
    }

    private static RouteTarget target(ModelVersion v) {
        return new RouteTarget(v.version(), v.framework(), v.servedSha256(), v.servedSizeBytes(), 0,
                RouteTarget.Role.STABLE, v.schema());
    }

    private static String key(String model, String version) {
        return model + "@" + version;
    }

    /** How many preview models are loaded now. */
    public synchronized int size() {
        return loaded.size();
    }

    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(loaded.values());
            loaded.clear();
        }
        all.forEach(e -> e.handle().retire());
    }
}
