package io.modelmesh.engine;

/**
 * Engine settings, parsed once at start.
 *
 * @param intraOpThreads threads one inference call may use; 1 suits a node where many requests run at once on few cores
 */
public record EngineConfig(int intraOpThreads) {
    public EngineConfig {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
    }

    public static EngineConfig defaults() {
        return new EngineConfig(1);
    }

    /** Reads {@code MM_ENGINE_THREADS} (default 1). */
    public static EngineConfig fromEnv() {
        String v = System.getenv("MM_ENGINE_THREADS");
        return v == null || v.isBlank() ? defaults() : new EngineConfig(Integer.parseInt(v.trim()));
    }
}
