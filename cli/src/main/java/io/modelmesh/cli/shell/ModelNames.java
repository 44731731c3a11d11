package io.modelmesh.cli.shell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Model names and versions for the shell's Tab completion, asked of the control plane with a short timeout and kept
 * for a few seconds, so a Tab never waits long and a burst of Tabs sends one request. An unreachable, slow or refusing
 * control plane gives no names (and is not asked again until the entry expires): completion then offers commands
 * and options only. A Tab that times out leaves the request running; the next Tab waits on the same request.
 */
public final class ModelNames {
    /** Where the names come from: the SDK in the shell, a fake in tests. */
    public interface Source {
        List<String> models();

        List<String> versions(String model);
    }

    /** At most this many cached lists (one per model whose versions were completed, and the model list). */
    static final int MAX_ENTRIES = 256;

    /** One request and when it was sent; a Tab that comes while it is still on its way waits on the same one. */
    private record Entry(CompletableFuture<List<String>> answer, long atNanos) {
    }

    private final Source source;
    private final Duration timeout;
    private final Duration ttl;
    private final LongSupplier nanoClock;
    private final Executor executor;
    private final Map<String, Entry> cache = new HashMap<>();

    /**
     * @param timeout   how long a Tab waits for the control plane
     * @param ttl       how long an answer (or the absence of one) is kept
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; tests drive their own)
     * @param executor  runs the requests, so a slow one can be abandoned at the timeout
     */
    public ModelNames(Source source, Duration timeout, Duration ttl, LongSupplier nanoClock, Executor executor) {
        this.source = source;
        this.timeout = timeout;
        this.ttl = ttl;
        this.nanoClock = nanoClock;
        this.executor = executor;
    }

    /**
     * What the shell uses: 1.5 s to answer (a cold JVM's first request loads the HTTP and JSON classes; the shell
     * sends it at start, see {@link #prefetch()}), kept 10 s, requests on virtual (daemon) threads.
     */
    public static ModelNames of(Source source) {
        return new ModelNames(source, Duration.ofMillis(1500), Duration.ofSeconds(10), System::nanoTime,
                r -> Thread.ofVirtual().name("mmctl-completion").start(r));
    }

    /** Registered model names, sorted; empty when the control plane does not answer in time. */
    public List<String> models() {
        return cached("models", source::models);
    }

    /** The versions of a model; empty when the control plane does not answer in time or the model is unknown. */
    public List<String> versions(String model) {
        return cached("versions/" + model, () -> source.versions(model));
    }

    /** Sends the model-list request now, so the first Tab finds the answer (the shell calls it at start). */
    public void prefetch() {
        entry("models", source::models);
    }

    private List<String> cached(String key, Supplier<List<String>> fetch) {
        CompletableFuture<List<String>> answer = entry(key, fetch).answer();
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) { // slow, unreachable, refused, no token: no names
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private Entry entry(String key, Supplier<List<String>> fetch) {
        long now = nanoClock.getAsLong();
        synchronized (cache) {
            Entry e = cache.get(key);
            if (e == null || now - e.atNanos() >= ttl.toNanos()) {
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
                e = new Entry(CompletableFuture.supplyAsync(fetch, executor).thenApply(ModelNames::sorted), now);
                cache.put(key, e);
            }
            return e;
        }
    }

    private static List<String> sorted(List<String> values) {
        List<String> sorted = new ArrayList<>(values == null ? List.of() : values);
        sorted.sort(null);
        return List.copyOf(sorted);
    }

}
