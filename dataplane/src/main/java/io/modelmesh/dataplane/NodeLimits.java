package io.modelmesh.dataplane;

import io.modelmesh.api.Framework;
import io.modelmesh.engine.validate.ValidationLimits;
import io.modelmesh.server.config.Settings;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What untrusted input may cost a node, parsed once at start (flags win over environment variables).
 *
 * @param validation       time and memory the child process validating a new artifact may use, as on the control
 *                         plane ({@code --validation-timeout} [MM_VALIDATION_TIMEOUT, 30s], {@code --validation-memory}
 *                         [MM_VALIDATION_MEMORY, 2GiB])
 * @param frameworks       frameworks the node loads ({@code --allowed-frameworks} [MM_ALLOWED_FRAMEWORKS], all)
 * @param prepareTimeout   longest one artifact's download, validation, load and warm-up may take before its model is
 *                         reported failed ({@code --prepare-timeout} [MM_PREPARE_TIMEOUT], 60s)
 * @param readTimeout      longest a request body may stall without a byte arriving ({@code --read-timeout}
 *                         [MM_READ_TIMEOUT], 30s)
 * @param maxInflightBytes request-body bytes the node holds at once, over all requests; past it a request waits for
 *                         nothing and is answered 503 ({@code --max-inflight-bytes} [MM_MAX_INFLIGHT_BYTES], 64MiB)
 */
public record NodeLimits(ValidationLimits validation, Set<Framework> frameworks, Duration prepareTimeout,
                         Duration readTimeout, long maxInflightBytes) {
    public static final Duration DEFAULT_PREPARE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_INFLIGHT_BYTES = 64L << 20;
    /** The flags {@link #parse} reads. */
    public static final Set<String> FLAGS = Set.of("--validation-timeout", "--validation-memory",
            "--allowed-frameworks", "--prepare-timeout", "--read-timeout", "--max-inflight-bytes");

    public NodeLimits {
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(prepareTimeout, "prepareTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        frameworks = Set.copyOf(frameworks);
        if (frameworks.isEmpty()) {
            throw new IllegalArgumentException("at least one framework must be allowed");
        }
        if (maxInflightBytes < 1) {
            throw new IllegalArgumentException("--max-inflight-bytes must be positive, got " + maxInflightBytes);
        }
    }

    public static NodeLimits defaults() {
        return new NodeLimits(ValidationLimits.defaults(), Settings.frameworks(null, ""), DEFAULT_PREPARE_TIMEOUT,
                DEFAULT_READ_TIMEOUT, DEFAULT_MAX_INFLIGHT_BYTES);
    }

    public NodeLimits withValidation(ValidationLimits v) {
        return new NodeLimits(v, frameworks, prepareTimeout, readTimeout, maxInflightBytes);
    }

    public NodeLimits withFrameworks(Set<Framework> f) {
        return new NodeLimits(validation, f, prepareTimeout, readTimeout, maxInflightBytes);
    }

    public NodeLimits withPrepareTimeout(Duration d) {
        return new NodeLimits(validation, frameworks, d, readTimeout, maxInflightBytes);
    }

    public NodeLimits withBodies(Duration read, long inflight) {
        return new NodeLimits(validation, frameworks, prepareTimeout, read, inflight);
    }

    /**
     * @param flags the {@link #FLAGS} given on the command line, by name
     */
    static NodeLimits parse(Map<String, String> flags, Map<String, String> env) {
        Duration timeout = Settings.flagOrEnv(flags, env, "--validation-timeout", "MM_VALIDATION_TIMEOUT",
                ValidationLimits.DEFAULT_TIMEOUT, Settings::duration);
        long memory = Settings.flagOrEnv(flags, env, "--validation-memory", "MM_VALIDATION_MEMORY",
                ValidationLimits.DEFAULT_MEMORY_BYTES, Settings::bytes);
        ValidationLimits validation;
        try {
            validation = new ValidationLimits(timeout, memory);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--validation-memory (MM_VALIDATION_MEMORY): " + e.getMessage());
        }
        return new NodeLimits(validation,
                Settings.flagOrEnv(flags, env, "--allowed-frameworks", "MM_ALLOWED_FRAMEWORKS",
                        Settings.frameworks(null, ""), Settings::frameworks),
                Settings.flagOrEnv(flags, env, "--prepare-timeout", "MM_PREPARE_TIMEOUT", DEFAULT_PREPARE_TIMEOUT,
                        Settings::duration),
                Settings.flagOrEnv(flags, env, "--read-timeout", "MM_READ_TIMEOUT", DEFAULT_READ_TIMEOUT,
                        Settings::duration),
                Settings.flagOrEnv(flags, env, "--max-inflight-bytes", "MM_MAX_INFLIGHT_BYTES",
                        DEFAULT_MAX_INFLIGHT_BYTES, Settings::bytes));
    }
}
