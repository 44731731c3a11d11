package io.modelmesh.deploy.k8s;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The overlays under k8s/overlays, each rendered once per test JVM. */
final class Overlays {
    static final List<String> ALL = List.of("dev", "prod");
    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    private Overlays() {
    }

    static List<String> names() {
        return ALL;
    }

    static Rendered rendered(String overlay) {
        Kustomize.kubectl(); // skips, saying why, where kubectl is missing
        return CACHE.computeIfAbsent(overlay, Rendered::of);
    }
}
