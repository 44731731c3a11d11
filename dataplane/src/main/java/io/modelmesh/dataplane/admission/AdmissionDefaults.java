package io.modelmesh.dataplane.admission;

import io.modelmesh.api.ServingPolicy;

import java.time.Duration;

/**
 * What a node fills in for the admission settings a serving policy leaves at 0, and the node-wide overrides an operator
 * may set ({@code --max-concurrency}, {@code --max-queue}, {@code --request-timeout}; 0 / null: derive). Pure.
 *
 * <ul>
 *   <li><b>Concurrency</b>, unbatched: {@code cores / engineThreads} (at least 1). Each engine call keeps
 *       {@code engineThreads} cores busy; more calls at once than the cores can run only share them, making every
 *       call slower and each answer later, and — since requests run on virtual threads whose carriers an engine call
 *       pins — starve the HTTP work of the node. Neither holds for a call of a few microseconds, which is done before
 *       it matters, while queueing it costs more than running it (a parked virtual thread's frames are copied off its
 *       carrier and back, and a timer armed and cancelled): while a version's turns are short, its derived limit
 *       rises to the node's carriers ({@link #carriers}), so no request of it ever queues (see {@link AdmissionGate}).
 *       Batched: {@code batchWorkers × maxBatchSize}, enough requests for
 *       every worker slot to form full batches.</li>
 *   <li><b>Queue</b>: {@link #QUEUE_PER_TURN} waiting requests per unit of concurrency. Long in count, bounded in
 *       time: a request whose turn would come after its deadline is refused at once (see {@link AdmissionGate}), so
 *       for a slow model the queue is short whatever the count says; for a fast one a long queue is a short wait.
 *       Waiting is cheap (a parked virtual thread and the request's body, which the server has read anyway), while a
 *       refusal costs a client a round trip and, from a client that retries at once, as much of the node's CPU as
 *       the answer it could not have: measured under a 512-connection storm, a 256-request queue turned most of the
 *       node's time into refusals (docs/benchmark_results.md section 11).</li>
 *   <li><b>Timeout</b>: {@link #DEFAULT_TIMEOUT}.</li>
 * </ul>
 *
 * @param cores         processors the node may use
 * @param engineThreads threads one engine call uses ({@code --engine-threads})
 * @param batchWorkers  worker slots of a batched version ({@code --batch-workers})
 * @param concurrency   node-wide default concurrency, or 0 to derive it as above
 * @param queue         node-wide default queue, or 0 to derive it as above
 * @param timeout       node-wide default deadline, or null for {@link #DEFAULT_TIMEOUT}
 */
public record AdmissionDefaults(int cores, int engineThreads, int batchWorkers, int concurrency, int queue,
                                Duration timeout) {
    /** Waiting requests per unit of concurrency in the derived default queue. */
    public static final int QUEUE_PER_TURN = 1024;
    /** The deadline of a request when neither its policy nor the node names one. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public AdmissionDefaults {
        if (cores < 1 || engineThreads < 1 || batchWorkers < 1) {
            throw new IllegalArgumentException("cores, engine threads and batch workers must be >= 1, got " + cores
                    + ", " + engineThreads + ", " + batchWorkers);
        }
        if (concurrency < 0 || concurrency > ServingPolicy.MAX_CONCURRENCY) {
            throw new IllegalArgumentException("--max-concurrency must be 1.." + ServingPolicy.MAX_CONCURRENCY
                    + " (0 or absent: derived from the cores), got " + concurrency);
        }
        if (queue < 0 || queue > ServingPolicy.MAX_QUEUE) {
            throw new IllegalArgumentException("--max-queue must be 1.." + ServingPolicy.MAX_QUEUE
                    + " (0 or absent: derived), got " + queue);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero()
                || timeout.toMillis() > ServingPolicy.MAX_TIMEOUT_MS)) {
            throw new IllegalArgumentException("--request-timeout must be 1ms..10m, got " + timeout);
        }
    }

    /** This machine's processors, no node-wide overrides. */
    public static AdmissionDefaults of(int engineThreads, int batchWorkers) {
        return new AdmissionDefaults(Runtime.getRuntime().availableProcessors(), engineThreads, batchWorkers, 0, 0,
                null);
    }

    /**
     * The virtual-thread carriers a node runs with: the cores plus what the engine calls of one unbatched version may
     * pin (its derived concurrency), so that HTTP work keeps a carrier while those calls run.
     */
    public static int carriers(int cores, int engineThreads) {
        return cores + Math.max(1, cores / engineThreads);
    }

    /** The limits a version with {@code policy} runs under on this node. */
    public AdmissionLimits resolve(ServingPolicy policy) {
        int set = policy.maxConcurrency() > 0 ? policy.maxConcurrency() : concurrency; // by the policy or the node
        int c = set > 0 ? set
                : policy.batching() ? Math.min(ServingPolicy.MAX_CONCURRENCY, batchWorkers * policy.maxBatchSize())
                : Math.max(1, cores / engineThreads);
        int q = policy.maxQueue() > 0 ? policy.maxQueue()
                : queue > 0 ? queue
                : Math.min(ServingPolicy.MAX_QUEUE, QUEUE_PER_TURN * c);
        Duration t = policy.timeoutMs() > 0 ? Duration.ofMillis(policy.timeoutMs())
                : timeout != null ? timeout : DEFAULT_TIMEOUT;
        int shortTurns = set > 0 || policy.batching() ? c : Math.max(c, carriers(cores, engineThreads));
        return new AdmissionLimits(c, q, t, shortTurns);
    }
}
