package io.modelmesh.dataplane;

import io.modelmesh.dataplane.admission.AdmissionDefaults;
import io.modelmesh.server.config.Settings;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How this node serves when a policy leaves a setting to it, and how it stops. Parsed once at start.
 *
 * @param maxConcurrency {@code --max-concurrency} [MM_MAX_CONCURRENCY]: requests of one version served at once where
 *                       its policy says 0; 0 (default) derives it from the cores ({@link AdmissionDefaults})
 * @param maxQueue       {@code --max-queue} [MM_MAX_QUEUE]: requests of one version waiting where its policy says 0;
 *                       0 (default) derives it
 * @param requestTimeout {@code --request-timeout} [MM_REQUEST_TIMEOUT]: a request's deadline where its policy says 0;
 *                       null (default): {@link AdmissionDefaults#DEFAULT_TIMEOUT}
 * @param drainTimeout   {@code --drain-timeout} [MM_DRAIN_TIMEOUT]: on shutdown, how long requests in flight may take
 *                       to finish before the node stops anyway (default {@link #DEFAULT_DRAIN})
 */
public record ServingDefaults(int maxConcurrency, int maxQueue, Duration requestTimeout, Duration drainTimeout) {
    /** Default drain timeout: longer than the default request deadline, shorter than Kubernetes' 30 s grace. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(25);
    /** Longest drain a node accepts. */
    static final Duration MAX_DRAIN = Duration.ofHours(1);
    /** The flags this record reads (each takes a value). */
    static final Set<String> FLAGS = Set.of("--max-concurrency", "--max-queue", "--request-timeout",
            "--drain-timeout");

    public ServingDefaults {
        drainTimeout = drainTimeout == null ? DEFAULT_DRAIN : drainTimeout;
        if (drainTimeout.isNegative() || drainTimeout.compareTo(MAX_DRAIN) > 0) {
            throw new IllegalArgumentException("--drain-timeout must be at most 1h, got " + drainTimeout);
        }
        // the admission defaults check the other three
        new AdmissionDefaults(1, 1, 1, maxConcurrency, maxQueue, requestTimeout);
    }

    public static ServingDefaults defaults() {
        return new ServingDefaults(0, 0, null, DEFAULT_DRAIN);
    }

    /** The admission defaults for a node with these engine threads and batch workers, on this machine's cores. */
    public AdmissionDefaults admission(int engineThreads, int batchWorkers) {
        return new AdmissionDefaults(Runtime.getRuntime().availableProcessors(), engineThreads, batchWorkers,
                maxConcurrency, maxQueue, requestTimeout);
    }

    /**
     * @param flags the {@link #FLAGS} given on the command line, by name
     * @throws IllegalArgumentException naming the flag or variable that is wrong
     */
    static ServingDefaults parse(Map<String, String> flags, Map<String, String> env) {
        return new ServingDefaults(
                Settings.flagOrEnv(flags, env, "--max-concurrency", "MM_MAX_CONCURRENCY", 0, ServingDefaults::whole),
                Settings.flagOrEnv(flags, env, "--max-queue", "MM_MAX_QUEUE", 0, ServingDefaults::whole),
                Settings.flagOrEnv(flags, env, "--request-timeout", "MM_REQUEST_TIMEOUT", null, Settings::duration),
                Settings.flagOrEnv(flags, env, "--drain-timeout", "MM_DRAIN_TIMEOUT", DEFAULT_DRAIN,
                        Settings::duration));
    }

    private static int whole(String text, String source) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " must be a whole number, got '" + text + "'");
        }
    }
}
