package io.modelmesh.dataplane.cache;

import java.util.Map;

/** The data plane's cache settings as it reads them from its environment (the parser is package-private). */
public final class CacheSettings {
    private CacheSettings() {
    }

    public static CacheConfig read(Map<String, String> env) {
        return CacheConfig.fromEnv(env);
    }
}
