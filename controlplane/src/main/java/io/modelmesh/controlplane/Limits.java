package io.modelmesh.controlplane;

import io.modelmesh.api.Framework;
import io.modelmesh.engine.validate.ValidationLimits;
import io.modelmesh.server.config.Settings;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the control plane lets untrusted input cost it, parsed once at start (flags win over environment variables).
 *
 * @param validation    time and memory a registration's validation child may use ({@code --validation-timeout}
 *                      [MM_VALIDATION_TIMEOUT, 30s], {@code --validation-memory} [MM_VALIDATION_MEMORY, 2GiB])
 * @param frameworks    frameworks registration accepts ({@code --allowed-frameworks} [MM_ALLOWED_FRAMEWORKS], all)
 * @param maxStoreBytes most bytes the artifact store may hold ({@code --max-store-bytes} [MM_MAX_STORE_BYTES]; no quota
 *                      by default: {@link Long#MAX_VALUE})
 * @param minFreeBytes  free space an upload must leave on the store's disk ({@code --min-free-bytes}
 *                      [MM_MIN_FREE_BYTES], 1GiB)
 * @param readTimeout   longest a request body may stall without a byte arriving ({@code --read-timeout}
 *                      [MM_READ_TIMEOUT], 30s)
 */
public record Limits(ValidationLimits validation, Set<Framework> frameworks, long maxStoreBytes, long minFreeBytes,
                     Duration readTimeout) {
    public static final long NO_QUOTA = Long.MAX_VALUE;
    public static final long DEFAULT_MIN_FREE_BYTES = 1L << 30;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** The flags {@link #parse} reads. */
    public static final Set<String> FLAGS = Set.of("--validation-timeout", "--validation-memory",
            "--allowed-frameworks", "--max-store-bytes", "--min-free-bytes", "--read-timeout");

    public Limits {
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(readTimeout, "readTimeout");
        frameworks = Set.copyOf(frameworks);
        if (frameworks.isEmpty()) {
            throw new IllegalArgumentException("at least one framework must be allowed");
        }
        if (maxStoreBytes < 1) {
            throw new IllegalArgumentException("--max-store-bytes must be positive, got " + maxStoreBytes);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("--min-free-bytes must not be negative, got " + minFreeBytes);
        }
    }

    public static Limits defaults() {
        return new Limits(ValidationLimits.defaults(), Settings.frameworks(null, ""), NO_QUOTA,
                DEFAULT_MIN_FREE_BYTES, DEFAULT_READ_TIMEOUT);
    }

    public Limits withValidation(ValidationLimits v) {
        return new Limits(v, frameworks, maxStoreBytes, minFreeBytes, readTimeout);
    }

    public Limits withFrameworks(Set<Framework> f) {
        return new Limits(validation, f, maxStoreBytes, minFreeBytes, readTimeout);
    }

    public Limits withStore(long maxBytes, long minFree) {
        return new Limits(validation, frameworks, maxBytes, minFree, readTimeout);
    }

    public Limits withReadTimeout(Duration d) {
        return new Limits(validation, frameworks, maxStoreBytes, minFreeBytes, d);
    }

    /**
     * @param flags the {@link #FLAGS} given on the command line, by name
     * @param env   the environment
     */
    static Limits parse(Map<String, String> flags, Map<String, String> env) {
        Duration timeout = setting(flags, env, "--validation-timeout", "MM_VALIDATION_TIMEOUT",
                ValidationLimits.DEFAULT_TIMEOUT, Settings::duration);
        long memory = setting(flags, env, "--validation-memory", "MM_VALIDATION_MEMORY",
                ValidationLimits.DEFAULT_MEMORY_BYTES, Settings::bytes);
        Set<Framework> frameworks = setting(flags, env, "--allowed-frameworks", "MM_ALLOWED_FRAMEWORKS",
                Settings.frameworks(null, ""), Settings::frameworks);
        long store = setting(flags, env, "--max-store-bytes", "MM_MAX_STORE_BYTES", NO_QUOTA, Settings::bytes);
        long free = setting(flags, env, "--min-free-bytes", "MM_MIN_FREE_BYTES", DEFAULT_MIN_FREE_BYTES,
                (text, source) -> text.trim().equals("0") ? 0L : Settings.bytes(text, source));
        Duration read = setting(flags, env, "--read-timeout", "MM_READ_TIMEOUT", DEFAULT_READ_TIMEOUT,
                Settings::duration);
        ValidationLimits validation;
        try {
            validation = new ValidationLimits(timeout, memory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--validation-memory (MM_VALIDATION_MEMORY): " + e.getMessage());
        }
        return new Limits(validation, frameworks, store, free, read);
    }

    private static <T> T setting(Map<String, String> flags, Map<String, String> env, String flag, String variable,
                                 T fallback, Settings.Parser<T> parser) {
        return Settings.flagOrEnv(flags, env, flag, variable, fallback, parser);
    }
}
