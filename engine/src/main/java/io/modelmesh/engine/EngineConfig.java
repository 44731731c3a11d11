package io.modelmesh.engine;

import java.nio.file.Path;

/**
 * Engine settings, parsed once at start.
 *
 * @param intraOpThreads threads one inference call may use; 1 suits a node where many requests run at once on few cores
 * @param nativeCacheDir where engines that ship native libraries inside jars (PyTorch through DJL) extract them; null
 *                       for the engine's default. A {@code DJL_CACHE_DIR} system property or environment variable
 *                       set by the operator wins over it.
 */
public record EngineConfig(int intraOpThreads, Path nativeCacheDir) {
    public EngineConfig {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, got " + intraOpThreads);
        }
    }

    public EngineConfig(int intraOpThreads) {
        this(intraOpThreads, null);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(1, null);
    }

    /** The same settings with native libraries extracted under {@code dir}. */
    public EngineConfig withNativeCacheDir(Path dir) {
        return new EngineConfig(intraOpThreads, dir);
    }

    /** Reads {@code MM_ENGINE_THREADS} (default 1). */
    public static EngineConfig fromEnv() {
        String v = System.getenv("MM_ENGINE_THREADS");
        return v == null || v.isBlank() ? defaults() : new EngineConfig(Integer.parseInt(v.trim()), null);
    }
}
